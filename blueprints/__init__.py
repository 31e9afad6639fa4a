"""Every blueprint, registered in one place."""


def register_all(app):
    from blueprints.acceptance import bp as acceptance
    from blueprints.admin import bp as admin
    from blueprints.audit import bp as audit
    from blueprints.auth import bp as auth
    from blueprints.contractors import bp as contractors
    from blueprints.contracts import bp as contracts
    from blueprints.dashboard import bp as dashboard
    from blueprints.door import bp as door, public_bp as door_public
    from blueprints.feedback import bp as feedback
    from blueprints.inbox import bp as inbox
    from blueprints.inbox import notifications_bp
    from blueprints.evaluation import bp as evaluation
    from blueprints.main import bp as main
    from blueprints.mediation import bp as mediation
    from blueprints.organisation import bp as organisation
    from blueprints.plans import bp as plans
    from blueprints.portal import bp as portal
    from blueprints.procurements import bp as procurements
    from blueprints.registration import bp as registration
    from blueprints.rehabilitation import bp as rehabilitation
    from blueprints.statistics import bp as statistics

    for bp in (main, auth, admin, audit, registration, organisation, contractors, mediation, plans, procurements, contracts,
               portal):
        app.register_blueprint(bp)
    app.register_blueprint(rehabilitation)
    app.register_blueprint(acceptance)
    app.register_blueprint(dashboard)
    app.register_blueprint(feedback)
    app.register_blueprint(evaluation)
    app.register_blueprint(statistics)
    app.register_blueprint(door_public)
    app.register_blueprint(door)
    app.register_blueprint(inbox)
    app.register_blueprint(notifications_bp)
