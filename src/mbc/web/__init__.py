"""The web page (Jinja2 + htmx): case form, clinician plan view, patient view, exports."""
