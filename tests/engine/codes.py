"""The code B a clerk would type from a simulated card's printed face."""

import testcards
from verifier.documents.my_number.code_b import CodeB


def printed_code(profile: str, persona: int = 0) -> CodeB:
    return testcards.printed_persona(profile, testcards.PERSONAS[persona]).code_b
