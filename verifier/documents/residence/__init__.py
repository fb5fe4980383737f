"""在留カード and 特別永住者証明書: the chip's knowledge and its one protocol driver
(../shared/docs/residence-card-spec.md).

- `constants` — every identifier: AIDs, short EF ids of both generations and both readings,
  tags, card types, sizes.
- `card_number` — `CardNumber` (never printed) and `parse_card_number`.
- `card_type` — `Generation`, `Document`, `CardType`, `parse_card_type` (MF EF02).
- `tlv` — BER-TLV as this chip writes it (two-byte tags such as DF D1).
- `sm_crypto`, `secure_messaging` — both suites (AES/CMAC, 3DES/retail MAC), mutual
  authentication, the session key, the SM VERIFY and READ BINARY, opening SM answers.
- `records` — the files as typed records: located (the signed bytes), then read once verified.
- `certificate`, `trust`, `signature` — the card certificate, the Agency's CA fingerprints and
  the trust store, the chain and the data signature as findings.
- `reader` — the protocol driver over `apdu.transport.Transport`.
- `outcome`, `verification` — check ids, reasons, and the numbered steps of one verification.
- `images` — the TIFFs and the photo as PNG, after the signature verified.

Pure and I/O-free except `reader` (and `verification`, which drives it) and `trust`'s file
loading.
"""
