"""The web application: public portal, staff pages and the REST API (see app.create_app)."""
