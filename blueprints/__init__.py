"""Every blueprint, registered in one place."""


def register_all(app):
    from blueprints.admin import bp as admin
    from blueprints.audit import bp as audit
    from blueprints.auth import bp as auth
    from blueprints.contractors import bp as contractors
    from blueprints.main import bp as main
    from blueprints.organisation import bp as organisation
    from blueprints.registration import bp as registration

    for bp in (main, auth, admin, audit, registration, organisation, contractors):
        app.register_blueprint(bp)
