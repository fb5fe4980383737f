"""Tests of the residence card (verifier/documents/residence, testcards/residence)."""
