"""The portal's services (STYLE.md): SMS codes, sign-up and password reset, self-registrations, membership cards."""
