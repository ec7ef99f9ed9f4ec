"""Response headers that say what a browser may load and run: django-csp's policy, built once per configuration."""
