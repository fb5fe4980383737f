"""Card knowledge, one package per document (design.md "Layout"): its identifiers, records, key,
signed target and printed fields. Pure, I/O-free except for each document's one protocol
driver over `apdu.transport.Transport`."""
