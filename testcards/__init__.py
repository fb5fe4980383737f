"""Simulated My Number Cards: a test CA and issuance, a card OS emulator, counterfeit profiles.

Every key in testcards/keys is TEST-ONLY; the verifier trusts the simulated CA only when the
operator names the `simulated` hierarchy.
"""

from testcards.builder import build_card, build_card_for, chip_spec, printed_persona
from testcards.card import SimulatedCard
from testcards.layouts import LAYOUTS, Layout
from testcards.personas import PERSONAS, Persona
from testcards.profiles import PROFILES, Profile
from testcards.quirks import Quirks, parse_quirks

__all__ = ["LAYOUTS", "PERSONAS", "PROFILES", "Layout", "Persona", "Profile", "Quirks",
           "SimulatedCard", "build_card", "build_card_for", "chip_spec", "parse_quirks",
           "printed_persona"]
