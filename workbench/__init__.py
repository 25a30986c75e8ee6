"""The social-activation coordinator workbench: data access, rules and charts.

Pages and notebooks call this package; it never imports Streamlit outside
``workbench.ui``.
"""
