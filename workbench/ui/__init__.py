"""The only Streamlit-aware code of the workbench.

- ``lang``: the interface language, ``t()`` and formatting;
- ``session``: sign-in, the signed-in user, sign-out, page arrivals;
- ``loaders``: cached reads (cleared after writes) and fresh reads of what is edited;
- ``widgets``: safe text, messages, forms that reset after a save, dates, choices;
- ``components``: people as links (board cards, short lists);
- ``person_form``: the e-MA fields of a person;
- ``screens``: the body of each page (``pages/<id>.py`` calls ``screens.<id>.show``).
"""
