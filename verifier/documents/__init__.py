"""The identity documents the counter reads, each a package of its own: its card knowledge, its
key, its trust and its checks, under the one engine (`verifier.engine`). The counter asks them
in this order which one a chip is (`verifier.engine.document.Document.recognise`)."""
