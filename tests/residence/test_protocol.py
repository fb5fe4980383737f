"""The protocol driver against the simulated cards in-process: both generations' round trips
(3DES + retail MAC, AES + CMAC), the one VERIFY, the fallbacks a reader or card forces, and what
it records of them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apdu.transport import TransportBase
from testcards.quirks import Quirks
from testcards.residence import issuance
from testcards.residence.builder import build_residence_card
from testcards.residence.card import SimulatedResidenceCard
from testcards.residence.cardos import ResidenceChip
from testcards.residence.personas import RESIDENCE_PERSONAS
from testcards.residence.profiles import RESIDENCE_PROFILES
from tests.residence.conftest import seeded
from verifier.documents.residence import constants as c
from verifier.documents.residence.card_number import parse_card_number
from verifier.documents.residence.card_type import CardType, Generation
from verifier.documents.residence.errors import NumberRejected, ReadFailed, Stage
from verifier.documents.residence.reader import (
    FileForm,
    FirstGenerationFiles,
    ResidenceReader,
    SecondGenerationFiles,
)
from verifier.errors import InternalError

GEN1, GEN2 = "residence-genuine-1", "residence-genuine-2"


def chip(profile: str) -> ResidenceChip:
    return issuance.residence_chip(RESIDENCE_PROFILES[profile], RESIDENCE_PERSONAS[0])


def file_of(profile: str, aid: bytes, sfi: int) -> bytes:
    df = next(df for df in chip(profile).dfs if df.aid == aid)
    return next(ef.data for ef in df.files if ef.sfi == sfi)


def opened(card: SimulatedResidenceCard, **kw: object) -> ResidenceReader:
    reader = ResidenceReader(card, random=seeded(), **kw)  # type: ignore[arg-type]
    reader.recognise()
    reader.open(card.card_number)
    return reader


def test_first_generation_round_trip() -> None:
    card = build_residence_card(GEN1, random=seeded(1))
    reader = opened(card)
    assert reader.recognition is not None
    assert reader.recognition.card_type is CardType.RESIDENCE_1
    files = reader.read(back_entries=True)
    assert isinstance(files, FirstGenerationFiles)
    assert files.front_image_file == file_of(GEN1, c.AID_DF1, c.SFI1_FRONT_IMAGE)
    assert files.photo_file == file_of(GEN1, c.AID_DF1, c.SFI1_PHOTO)
    assert files.signature_file == file_of(GEN1, c.AID_DF3, c.SFI1_SIGNATURE)
    assert files.back_files == (file_of(GEN1, c.AID_DF2, 0x01),)
    assert files.form is FileForm.SHORT_EF
    assert card.verify_count == 1 and card.number_verified


def test_second_generation_round_trip() -> None:
    card = build_residence_card(GEN2, random=seeded(2))
    reader = opened(card)
    files = reader.read(card_number_file=True)
    assert isinstance(files, SecondGenerationFiles)
    for got, sfi in ((files.card_number_file, c.SFI2_CARD_NUMBER),
                     (files.printed_entries_file, c.SFI2_PRINTED_ENTRIES),
                     (files.images_file, c.SFI2_IMAGES),
                     (files.address_file, c.SFI2_ADDRESS_IMAGE)):
        assert got == file_of(GEN2, c.AID_DF1, sfi)
    assert files.signature_file == file_of(GEN2, c.AID_DF3, c.SFI2_SIGNATURE)
    assert files.sm_trailers == ()


@pytest.mark.parametrize("profile", [GEN1, GEN2])
def test_the_secure_messaging_really_encrypts(profile: str) -> None:
    """What crossed the link is not the plain file: the SM READ answers are cryptograms."""
    seen: list[bytes] = []

    class Tap(TransportBase):
        def __init__(self, inner: SimulatedResidenceCard) -> None:
            self.inner = inner

        def transmit(self, apdu: bytes) -> bytes:
            answer = self.inner.transmit(apdu)
            seen.append(answer)
            return answer

    card = build_residence_card(profile, random=seeded(3))
    reader = ResidenceReader(Tap(card), random=seeded())
    reader.recognise()
    reader.open(card.card_number)
    reader.read()
    photo_sfi = c.SFI1_PHOTO if profile == GEN1 else c.SFI2_IMAGES
    photo_file = file_of(profile, c.AID_DF1, photo_sfi)
    assert not any(photo_file[4:64] in answer for answer in seen)
    assert any(answer[:1] == bytes((c.TAG_SM_CRYPTOGRAM,)) for answer in seen)


@pytest.mark.parametrize("profile", [GEN1, GEN2])
def test_a_wrong_number_is_rejected_at_mutual_authentication_without_a_verify(
        profile: str) -> None:
    card = build_residence_card(profile)
    reader = ResidenceReader(card, random=seeded())
    reader.recognise()
    with pytest.raises(NumberRejected) as caught:
        reader.open(parse_card_number("ZZ99999999ZZ"))
    assert caught.value.stage is Stage.MUTUAL_AUTHENTICATE
    assert card.authenticate_count == 1
    assert card.verify_count == 0
    assert "ZZ99999999ZZ" not in str(caught.value)


class _CorruptVerify(TransportBase):
    """A link that flips one byte of the VERIFY's cryptogram: the chip opened the channel, but
    the number it receives is not its own."""

    def __init__(self, inner: SimulatedResidenceCard) -> None:
        self.inner = inner

    def transmit(self, apdu: bytes) -> bytes:
        if apdu[:2] == bytes((c.CLA_SM, c.INS_VERIFY)):
            apdu = apdu[:-1] + bytes((apdu[-1] ^ 0x01,))
        return self.inner.transmit(apdu)


@pytest.mark.parametrize("profile", [GEN1, GEN2])
def test_a_verify_the_chip_refuses_is_sent_once(profile: str) -> None:
    card = build_residence_card(profile)
    reader = ResidenceReader(_CorruptVerify(card), random=seeded())
    reader.recognise()
    with pytest.raises(NumberRejected) as caught:
        reader.open(card.card_number)
    assert caught.value.stage is Stage.VERIFY
    assert caught.value.retries_left is None
    assert card.verify_count == 1
    with pytest.raises(InternalError):  # the same reader never sends it again
        reader.open(card.card_number)
    assert card.verify_count == 1


def test_open_before_recognition_and_read_before_open_are_our_errors() -> None:
    card = build_residence_card(GEN2)
    reader = ResidenceReader(card)
    with pytest.raises(InternalError):
        reader.open(card.card_number)
    reader.recognise()
    with pytest.raises(InternalError):
        reader.read()
    assert card.verify_count == 0


def test_a_second_open_on_one_reader_is_refused() -> None:
    card = build_residence_card(GEN2)
    reader = opened(card)
    with pytest.raises(InternalError):
        reader.open(card.card_number)
    assert card.verify_count == 1


def _read_all(card: SimulatedResidenceCard, **kw: object) -> tuple[ResidenceReader, object]:
    reader = opened(card, **kw)
    return reader, reader.read(card_number_file=True)


QUIRKS: dict[str, Quirks] = {
    "no-extended": Quirks(no_extended=True),
    "t0": Quirks(t0=True),
    "no-sfi": Quirks(no_sfi=True),
    "wrong-le": Quirks(wrong_le=True),
    "contactless": Quirks(contactless=True),
    "no-extended,no-sfi": Quirks(no_extended=True, no_sfi=True),
    "6f00-after-power-up": Quirks(power_up_6f00=True),
}


@pytest.mark.parametrize("quirk", list(QUIRKS))
@pytest.mark.parametrize("profile", [GEN1, GEN2])
def test_every_reader_quirk_reads_the_same_files(profile: str, quirk: str) -> None:
    plain = _read_all(build_residence_card(profile))[1]
    reader, files = _read_all(build_residence_card(profile, quirks=QUIRKS[quirk]),
                              t0=QUIRKS[quirk].t0)
    assert files == plain or (_same_but_form(files, plain)
                              and reader.form_used is FileForm.SELECT_EF)


def _same_but_form(a: object, b: object) -> bool:
    from dataclasses import replace

    assert isinstance(a, FirstGenerationFiles | SecondGenerationFiles)
    return replace(a, form=FileForm.SHORT_EF) == b


def test_no_extended_reads_in_chunks_and_remembers_it() -> None:
    card = build_residence_card(GEN2, quirks=Quirks(no_extended=True))
    reader, _ = _read_all(card)
    assert reader.forms.extended is False
    refused = [cmd for cmd in card.commands if cmd[4:5] == b"\x00" and len(cmd) > 7]
    assert len(refused) == 1  # one extended try, then short chunks only


def test_a_card_refusing_short_ef_ids_is_read_by_select_ef_and_says_so() -> None:
    card = build_residence_card(GEN1, quirks=Quirks(no_sfi=True))
    reader, files = _read_all(card)
    assert isinstance(files, FirstGenerationFiles)
    assert files.form is FileForm.SELECT_EF and reader.forms.short_ef is False
    selected = [fid for _, fid in card.files_touched]
    assert c.FID1_FRONT_IMAGE in selected and c.FID1_PHOTO in selected


class _Trailer(TransportBase):
    """A card that appends a protected status word and a MAC to its SM answers."""

    def __init__(self, inner: SimulatedResidenceCard) -> None:
        self.inner = inner

    def transmit(self, apdu: bytes) -> bytes:
        answer = self.inner.transmit(apdu)
        if apdu[0] == c.CLA_SM and apdu[1] == c.INS_READ_BINARY and answer[-2:] == b"\x90\x00":
            return answer[:-2] + bytes.fromhex("990290008E08") + bytes(8) + b"\x90\x00"
        return answer


def test_an_answer_mac_is_tolerated_and_reported() -> None:
    card = build_residence_card(GEN2)
    reader = ResidenceReader(_Trailer(card), random=seeded())
    reader.recognise()
    reader.open(card.card_number)
    files = reader.read()
    assert isinstance(files, SecondGenerationFiles)
    assert files.printed_entries_file == file_of(GEN2, c.AID_DF1, c.SFI2_PRINTED_ENTRIES)
    assert files.sm_trailers == (c.TAG_SM_STATUS, c.TAG_SM_MAC)


def test_a_transient_mutual_authentication_starts_again_from_a_fresh_challenge() -> None:
    card = build_residence_card(GEN2, quirks=Quirks(transient_at=4))
    reader = opened(card)
    assert card.authenticate_count == 1  # the 6F00 had no effect on the chip
    challenges = [cmd for cmd in card.commands if cmd[1] == c.INS_GET_CHALLENGE]
    assert len(challenges) == 2 and card.verify_count == 1
    assert reader.read() is not None


def test_a_transient_verify_is_never_sent_again() -> None:
    card = build_residence_card(GEN2, quirks=Quirks(transient_at=5))
    reader = ResidenceReader(card, random=seeded())
    reader.recognise()
    with pytest.raises(ReadFailed):
        reader.open(card.card_number)
    assert [cmd[1] for cmd in card.commands].count(c.INS_VERIFY) == 1


def test_the_card_log_never_holds_what_the_number_makes() -> None:
    card = build_residence_card(GEN2)
    opened(card)
    for command in card.commands:
        if command[1] in (c.INS_VERIFY, c.INS_MUTUAL_AUTHENTICATE):
            assert len(command) <= 7


def test_power_cycle_closes_the_channel_warm_reset_keeps_it() -> None:
    card = build_residence_card(GEN2)
    opened(card)
    card.warm_reset()
    assert card.number_verified
    card.power_cycle()
    assert not card.number_verified


@pytest.mark.parametrize("generation", list(Generation))
def test_recognition_reads_the_card_type_only(generation: Generation) -> None:
    card = build_residence_card(GEN1 if generation is Generation.FIRST else GEN2)
    recognition = ResidenceReader(card).recognise()
    assert recognition.generation is generation
    assert card.exchanges == 2 and card.verify_count == 0


ReaderFactory = Callable[[SimulatedResidenceCard], ResidenceReader]
