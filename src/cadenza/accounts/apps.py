from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cadenza.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Hand the personal sockets' sweep who is still signed in (``cadenza.realtime``
        imports no domain app)."""
        from cadenza.accounts.socket_sessions import SignedInSessions
        from cadenza.realtime.personal import use_personal_admission

        use_personal_admission(SignedInSessions())
