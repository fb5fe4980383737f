"""Edits of a genuine chip's bytes, served through the card OS and judged by the verifier: any
signed byte changed is evidence; anything unsigned changed (the address image, the stored card
number, DF2, padding, filler, an object after the signed ones) is never an accusation."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testcards.residence import issuance
from testcards.residence.authority import simulated_trust
from testcards.residence.card import SimulatedResidenceCard
from testcards.residence.cardos import EfSpec, ResidenceChip
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.residence.conftest import TODAY, seeded, verdict_of
from verifier.documents.residence import constants as c
from verifier.documents.residence.tlv import encode, parse_one
from verifier.documents.residence.verification import check_residence_card
from verifier.engine.verdict import Verdict

TRUST = simulated_trust()
PERSONA = RESIDENCE_PERSONAS[0]


def genuine(profile: str) -> ResidenceChip:
    return issuance.residence_chip(RESIDENCE_PROFILES[profile], PERSONA)


def edited(chip: ResidenceChip, aid: bytes, sfi: int, change: bytes) -> ResidenceChip:
    def apply(ef: EfSpec) -> EfSpec:
        return replace(ef, data=change) if ef.sfi == sfi else ef

    return replace(chip, dfs=tuple(
        replace(df, files=tuple(map(apply, df.files))) if df.aid == aid else df
        for df in chip.dfs))


def judge(chip: ResidenceChip, profile: str) -> Verdict:
    card = SimulatedResidenceCard(chip, persona=PERSONA, profile=profile, random=seeded())
    result = check_residence_card(card, PERSONA.number, TRUST, today=TODAY, back_entries=True,
                                  random=seeded(5))
    return verdict_of(result)


def file(chip: ResidenceChip, aid: bytes, sfi: int) -> bytes:
    df = next(df for df in chip.dfs if df.aid == aid)
    return next(ef.data for ef in df.files if ef.sfi == sfi)


SIGNED = {"residence-genuine-1": [(c.AID_DF1, c.SFI1_FRONT_IMAGE), (c.AID_DF1, c.SFI1_PHOTO)],
          "residence-genuine-2": [(c.AID_DF1, c.SFI2_PRINTED_ENTRIES),
                                  (c.AID_DF1, c.SFI2_IMAGES)]}


def value_span(data: bytes) -> list[tuple[int, int]]:
    """Where each object's value lies in a file."""
    spans, pos = [], 0
    while pos < len(data) and data[pos] not in (0, 0xFF):
        item = parse_one(data, pos)
        spans.append((pos + len(item.raw) - len(item.value), pos + len(item.raw)))
        pos += len(item.raw)
    return spans


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([(p, f) for p, files in SIGNED.items() for f in files]),
       st.floats(min_value=0, max_value=0.999), st.integers(1, 255))
def test_any_signed_byte_changed_is_evidence(where: tuple[str, tuple[bytes, int]],
                                             at: float, xor: int) -> None:
    profile, (aid, sfi) = where
    chip = genuine(profile)
    data = bytearray(file(chip, aid, sfi))
    spans = value_span(bytes(data))
    start, end = spans[int(at * len(spans))]
    index = start + int((at * len(spans) % 1) * (end - start))
    data[index] ^= xor
    assert judge(edited(chip, aid, sfi, bytes(data)), profile) is \
        Verdict.COUNTERFEIT_SUSPECTED


UNSIGNED_2 = [(c.AID_DF1, c.SFI2_ADDRESS_IMAGE), (c.AID_DF1, c.SFI2_CARD_NUMBER),
              (c.AID_DF2, 0x01)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(UNSIGNED_2), st.binary(max_size=80))
def test_unsigned_files_hold_anything_without_an_accusation(where: tuple[bytes, int],
                                                            junk: bytes) -> None:
    aid, sfi = where
    verdict = judge(edited(genuine("residence-genuine-2"), aid, sfi, junk),
                    "residence-genuine-2")
    assert verdict is Verdict.GENUINE


def test_unsigned_wrapping_of_signed_files_changes_nothing() -> None:
    chip = genuine("residence-genuine-2")
    signature_file = file(chip, c.AID_DF3, c.SFI2_SIGNATURE).rstrip(b"\x00")
    first = parse_one(signature_file)
    variants = {
        "filler between": signature_file[:len(first.raw)] + b"\x00\x00"
        + signature_file[len(first.raw):],
        "an object after": signature_file + encode(0xE5, b"later"),
        "another order": signature_file[len(first.raw):] + first.raw,
        "FF padding": signature_file + b"\xff" * 8,
    }
    for name, variant in variants.items():
        assert judge(edited(chip, c.AID_DF3, c.SFI2_SIGNATURE, variant),
                     "residence-genuine-2") is Verdict.GENUINE, name


def test_the_signature_file_missing_its_certificate_is_evidence() -> None:
    chip = genuine("residence-genuine-1")
    signature_file = file(chip, c.AID_DF3, c.SFI1_SIGNATURE)
    only_signature = parse_one(signature_file).raw
    assert judge(edited(chip, c.AID_DF3, c.SFI1_SIGNATURE, only_signature),
                 "residence-genuine-1") is Verdict.COUNTERFEIT_SUSPECTED


def test_a_stored_number_that_is_not_the_typed_one_is_an_oddity() -> None:
    chip = genuine("residence-genuine-2")
    other = edited(chip, c.AID_DF1, c.SFI2_CARD_NUMBER, encode(c.TAG_CARD_NUMBER,
                                                              b"XX00000000XX"))
    for served, oddities in ((chip, ()), (other, ("card_number.card_number_differs",))):
        card = SimulatedResidenceCard(served, persona=PERSONA, profile="residence-genuine-2")
        result = check_residence_card(card, PERSONA.number, TRUST, today=TODAY,
                                      card_number_file=True)
        assert result.genuine and result.oddities == oddities
        assert PERSONA.card_number not in repr(result)
