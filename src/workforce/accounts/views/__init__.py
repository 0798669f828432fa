"""The pages of accounts: sign-in and two-factor (``sign_in``), the administrator's user pages (``users``) and
account security (``security``)."""
