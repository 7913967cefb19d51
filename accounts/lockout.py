def axes_username(request, credentials) -> str | None:
    """The username django-axes counts failures for: the e-mail address as it is stored (lower case),
    so that "Karin@Region.se" and "karin@region.se" share one failure count."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
