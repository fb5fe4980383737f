"""Simulated 在留カード and 特別永住者証明書: a simulated Agency CA of each generation, issuance,
a card OS with the chip's secure messaging, and the profiles the checks must tell apart.

- `profiles.RESIDENCE_PROFILES` — each profile with its expected verdict and failing check;
- `personas.RESIDENCE_PERSONAS` — the invented holders;
- `builder.build_residence_card(profile, persona=, quirks=)` — a fresh card per insertion;
  `builder.printed(profile, persona)` — what that card prints (its number among it);
- `plugin.RESIDENCE_SOURCE` — the plug-in's side, to register beside the My Number source;
- `authority.simulated_trust()`, `.simulated_ca_certificates()`, `.simulated_ca_pem()` — the
  simulated CAs, trusted only when named.

Every key in testcards/keys/residence is TEST-ONLY.
"""
