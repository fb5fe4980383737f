"""The residence chip's protocol over a Transport: recognise it, open it with the card number,
read its files. Fewest exchanges first, fallbacks remembered (like the My Number session).

One ResidenceReader belongs to one card connection. Its rules:

- Recognition reads MF EF02 (the card type) by short EF id, never the ATR; a chip whose EF02
  and DF1 are both "not found" (DF1 asked twice) holds no residence application.
- `open` sends GET CHALLENGE immediately before MUTUAL AUTHENTICATE, then the card-number
  VERIFY exactly once: never resent, never looped, and a second `open` on the same reader is
  refused (InternalError). A wrong number is `NumberRejected`, at whichever step the chip
  refused it (63 00, or an M.ICC that cannot match): never evidence.
- Idempotent commands (SELECT, READ BINARY, GET CHALLENGE) answered with a transient status
  word are sent once more. MUTUAL AUTHENTICATE answered with one is redone once from a fresh
  GET CHALLENGE (the chip judged nothing: no number was tested). VERIFY never is.
- Second-generation DF1 files come in one SM READ BINARY each (the whole file); a reader that
  refuses extended lengths gets them in 224-byte chunks, each its own cryptogram. DF2 and DF3
  are read in plain after the VERIFY, the whole file at once, or in 256-byte chunks.
- First-generation DF1 files are read by the short EF ids both public readers use (05, 06;
  DF3 02); a card that refuses them is read by SELECT EF with the other reading's names (EF01,
  EF02; DF3 EF01), and which form the card answered is recorded (`FileForm`).

Errors: `apdu.errors.CardError` for transport problems (passed through), `errors.ResidenceError`
for protocol outcomes, `UnknownCardType` (an UnsupportedLayout) for a card type not known.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from apdu.command import EXTENDED_MAX_LE, SHORT_MAX_LE, CommandAPDU
from apdu.response import ResponseAPDU, StatusWord
from apdu.status import SW
from apdu.transport import CountingTransport, ExchangeStats, Transport, exchange
from verifier.documents.residence import constants as c
from verifier.documents.residence import secure_messaging as sm
from verifier.documents.residence import sm_crypto
from verifier.documents.residence.card_number import CardNumber
from verifier.documents.residence.card_type import CardType, Generation, parse_card_type
from verifier.documents.residence.errors import (
    FileNotFound,
    NoResidenceApplication,
    NotSupported,
    NumberRejected,
    ReadFailed,
    SecureMessagingFailed,
    Stage,
    TooManyExchanges,
)
from verifier.errors import InternalError

log = logging.getLogger(__name__)

#: Exchanges allowed for one file: every chunk of the largest legal file, and room for the
#: SELECT, a resend and the refusals that make the reader change form.
FILE_EXCHANGE_CAP = -(-c.MAX_FILE_BYTES // c.SM_CHUNK) + 8
CARD_TYPE_FILE_BYTES = 4  # C1 02 30 35


def _refuses_short_ef(sw: StatusWord) -> bool:
    """The card does not take the short-EF form (as `engine.session.refuses_short_ef`): it
    says so, or reads the P1 bits as a file it lacks or an offset past the end."""
    return sw.refused_form or sw.not_found or sw.value == SW.WRONG_P1P2


@dataclass
class Forms:
    """What this reader and card accept; None: not yet tried. A counter may carry it from one
    card to the next on the same reader (a form, never card data)."""

    extended: bool | None = None
    short_ef: bool | None = None


class FileForm(enum.Enum):
    """How the DF1/DF3 files were addressed: which public reading the card answered."""

    SHORT_EF = "short_ef"  # READ BINARY by short EF id (05/06/02 in the first generation)
    SELECT_EF = "select_ef"  # SELECT EF by file id (EF01/EF02), then READ BINARY by offset


@dataclass(frozen=True)
class Recognition:
    card_type: CardType

    @property
    def generation(self) -> Generation:
        return self.card_type.generation


@dataclass(frozen=True)
class FirstGenerationFiles:
    """What a first-generation chip gave, decrypted, as the records parse it."""

    card_type: CardType
    front_image_file: bytes  # DF1: D0, the front of the card (TIFF)
    photo_file: bytes  # DF1: D1 (JPEG 2000)
    signature_file: bytes  # DF3: DA + DB
    back_files: tuple[bytes, ...]  # DF2, when asked for
    form: FileForm
    sm_trailers: tuple[int, ...]

    @property
    def generation(self) -> Generation:
        return Generation.FIRST

    def __repr__(self) -> str:
        return f"FirstGenerationFiles({self.card_type.code}, {self.form.value})"


@dataclass(frozen=True)
class SecondGenerationFiles:
    card_type: CardType
    card_number_file: bytes | None  # DF1 EF01: C2 (unsigned), when asked for
    printed_entries_file: bytes  # DF1 EF02: C5..CE
    images_file: bytes  # DF1 EF03: D0 name image + D1 photo
    address_file: bytes | None  # DF1 EF04: DFD1 (unsigned), when asked for
    signature_file: bytes  # DF3 EF01: DC + DD
    back_files: tuple[bytes, ...]
    form: FileForm
    sm_trailers: tuple[int, ...]

    @property
    def generation(self) -> Generation:
        return Generation.SECOND

    def __repr__(self) -> str:
        return f"SecondGenerationFiles({self.card_type.code}, {self.form.value})"


ChipFiles = FirstGenerationFiles | SecondGenerationFiles


@dataclass(frozen=True)
class _Location:
    """A file by its short EF id and, for the fallback, its file id."""

    name: str
    sfi: int
    fid: int


class ResidenceReader:
    """The protocol with one residence chip. `random` makes RND.IFD and K.IFD (tests fix it)."""

    def __init__(self, transport: Transport, *, forms: Forms | None = None, t0: bool = False,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self._counting = CountingTransport(transport)
        self.forms = forms if forms is not None else Forms()
        if t0:  # T=0 carries no extended lengths: not probed for
            self.forms.extended = False
        self._random = random
        self._recognition: Recognition | None = None
        self._session: sm.Session | None = None
        self._number: CardNumber | None = None
        self._opened_once = False
        self._form: FileForm | None = None
        self._trailers: list[int] = []
        self._file_exchanges = 0

    @property
    def stats(self) -> ExchangeStats:
        """Physical exchanges so far (GET RESPONSE included) and their bytes."""
        return self._counting.stats

    @property
    def recognition(self) -> Recognition | None:
        return self._recognition

    @property
    def form_used(self) -> FileForm | None:
        """How the files were addressed (None before any was read): SELECT EF once any
        file needed it."""
        return self._form

    # --- sending --------------------------------------------------------------------------------
    def _exchange(self, command: CommandAPDU) -> ResponseAPDU:
        self._file_exchanges += 1
        if self._file_exchanges > FILE_EXCHANGE_CAP:
            raise TooManyExchanges()
        return exchange(self._counting, command)

    def _send(self, command: CommandAPDU) -> ResponseAPDU:
        """An idempotent command: a transient answer is worth one more ask."""
        response = self._exchange(command)
        if response.sw.transient:
            log.debug("transient SW %s; sending once more", response.sw)
            response = self._exchange(command)
        return response

    def _new_step(self) -> None:
        self._file_exchanges = 0

    # --- selection ------------------------------------------------------------------------------
    def _select_mf(self) -> None:
        for p2 in (c.SELECT_NO_FCI, c.SELECT_WITH_FCI):
            response = self._send(CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_MF, p2,
                                              c.MF_FILE_ID))
            if not response.sw.refused_form:
                break
        # An MF select refused in every form is no verdict: the MF is current after a reset.
        if response.sw.transient:
            raise ReadFailed("SELECT MF", response.sw)

    def _select_df(self, aid: bytes) -> StatusWord:
        return self._send(CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_DF_NAME, c.SELECT_NO_FCI,
                                      aid)).sw

    def _enter(self, aid: bytes, what: str) -> None:
        sw = self._select_df(aid)
        if sw.not_found:
            raise FileNotFound(what, sw)
        if not sw.ok:
            raise ReadFailed(f"SELECT {what}", sw)

    def _select_ef(self, fid: int, what: str) -> None:
        sw = self._send(CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_EF, c.SELECT_NO_FCI,
                                    fid.to_bytes(2, "big"))).sw
        if sw.not_found:
            raise FileNotFound(what, sw)
        if not sw.ok:
            raise ReadFailed(f"SELECT {what}", sw)

    # --- recognition ----------------------------------------------------------------------------
    def recognise(self) -> Recognition:
        """The card type from MF EF02. NoResidenceApplication when the chip has none;
        NotSupported for types 07/08; UnknownCardType for a value not known."""
        self._new_step()
        self._select_mf()
        data = self._read_card_type_file()
        if data is None:
            for _ in range(2):  # one "not found" is read again, as the My Number AP is
                sw = self._select_df(c.AID_DF1)
                if not sw.not_found:
                    break
            if sw.not_found:
                raise NoResidenceApplication()
            raise ReadFailed("card type (MF EF02)", StatusWord.of(SW.FILE_NOT_FOUND))
        card_type = parse_card_type(data)
        self._recognition = Recognition(card_type)
        if not card_type.supported:
            raise NotSupported(card_type)
        return self._recognition

    def _read_card_type_file(self) -> bytes | None:
        """MF EF02's bytes; None when the chip has no such file."""
        if self.forms.short_ef is not False:
            for le in (SHORT_MAX_LE, CARD_TYPE_FILE_BYTES):
                response = self._send(CommandAPDU(c.CLA, c.INS_READ_BINARY,
                                                  c.SFI_FLAG | c.SFI_MF_CARD_TYPE, 0, le=le))
                if response.sw.value != SW.WRONG_LENGTH or response.data:
                    break
            if response.data and (response.sw.ok or response.sw.end_of_file):
                return response.data
            if not _refuses_short_ef(response.sw):
                raise ReadFailed("card type (MF EF02)", response.sw)
        sw = self._send(CommandAPDU(c.CLA, c.INS_SELECT, c.SELECT_EF, c.SELECT_NO_FCI,
                                    c.FID_MF_CARD_TYPE.to_bytes(2, "big"))).sw
        if sw.not_found:
            return None
        if not sw.ok:
            raise ReadFailed("SELECT card type (MF EF02)", sw)
        response = self._send(CommandAPDU(c.CLA, c.INS_READ_BINARY, 0, 0,
                                          le=CARD_TYPE_FILE_BYTES))
        if response.data and (response.sw.ok or response.sw.end_of_file):
            return response.data
        raise ReadFailed("card type (MF EF02)", response.sw)

    # --- opening --------------------------------------------------------------------------------
    def open(self, number: CardNumber) -> None:
        """Mutual authentication with the number's key, then the one VERIFY."""
        recognition = self._recognition
        if recognition is None or not recognition.card_type.supported:
            raise InternalError("open() before the card was recognised as a supported type")
        if self._opened_once:
            raise InternalError("the card number is sent to a card once: a new reader, a new "
                                "card session, and the counter's consent for another")
        self._opened_once = True
        self._new_step()
        generation = recognition.generation
        key = sm_crypto.base_key(number)
        for attempt in range(2):
            rnd_icc = self._challenge()
            nonces = sm.TerminalNonces(self._random(c.CHALLENGE_BYTES),
                                       self._random(c.KEY_BYTES))
            response = self._exchange(sm.mutual_authenticate_command(
                sm.authentication_data(generation, key, rnd_icc, nonces)))
            if not (response.sw.transient and attempt == 0):
                break
            log.debug("transient SW %s to MUTUAL AUTHENTICATE; once more from GET CHALLENGE",
                      response.sw)
        sw = response.sw
        if sw.value == SW.VERIFY_FAILED or sw.retries_left is not None:
            raise NumberRejected(Stage.MUTUAL_AUTHENTICATE, sw)
        if not sw.ok:
            raise ReadFailed("MUTUAL AUTHENTICATE", sw)
        try:
            session = sm.open_session(generation, key, response.data, rnd_icc, nonces)
        except sm.CardMacMismatch:
            raise NumberRejected(Stage.MUTUAL_AUTHENTICATE) from None
        except sm.NonceMismatch as error:
            raise SecureMessagingFailed(str(error)) from None
        # Never through _send: a VERIFY is not resent, whatever it was answered.
        answer = self._exchange(sm.verify_command(session, number)).sw
        if answer.value == SW.VERIFY_FAILED or answer.retries_left is not None or answer.blocked:
            raise NumberRejected(Stage.VERIFY, answer)
        if not answer.ok:
            raise ReadFailed("VERIFY", answer)
        self._session = session
        self._number = number

    def _challenge(self) -> bytes:
        response = self._send(sm.get_challenge_command())
        if not response.sw.ok or len(response.data) != c.CHALLENGE_BYTES:
            raise ReadFailed("GET CHALLENGE", response.sw)
        return response.data

    # --- reading --------------------------------------------------------------------------------
    def read(self, *, back_entries: bool = False, card_number_file: bool = False,
             address_image: bool = True) -> ChipFiles:
        """Every file the checks and the display need, after `open`. `back_entries`: DF2 too
        (unsigned entries added after issue). `card_number_file` (gen 2): DF1 EF01, unsigned;
        `address_image` (gen 2): DF1 EF04, unsigned."""
        recognition = self._recognition
        if recognition is None or self._session is None:
            raise InternalError("read() before the number opened the card")
        self._trailers = []
        if recognition.generation is Generation.FIRST:
            return self._read_first(recognition.card_type, back_entries=back_entries)
        return self._read_second(recognition.card_type, back_entries=back_entries,
                                 card_number_file=card_number_file, address_image=address_image)

    def _read_first(self, card_type: CardType, *, back_entries: bool) -> FirstGenerationFiles:
        self._new_step()
        self._enter(c.AID_DF1, "DF1")
        front = self._read_sm(_Location("front-of-card image (DF1)", c.SFI1_FRONT_IMAGE,
                                        c.FID1_FRONT_IMAGE))
        photo = self._read_sm(_Location("photo (DF1)", c.SFI1_PHOTO, c.FID1_PHOTO))
        back = self._read_back(tuple(_Location(f"DF2 file {sfi:02X}", sfi, sfi)
                                     for sfi in c.SFI1_BACK)) if back_entries else ()
        self._new_step()
        self._enter(c.AID_DF3, "DF3")
        signature = self._read_plain(_Location("signature file (DF3)", c.SFI1_SIGNATURE,
                                               c.FID1_SIGNATURE))
        return FirstGenerationFiles(card_type, front, photo, signature, back, self._file_form(),
                                    tuple(dict.fromkeys(self._trailers)))

    def _read_second(self, card_type: CardType, *, back_entries: bool, card_number_file: bool,
                     address_image: bool) -> SecondGenerationFiles:
        self._new_step()
        self._enter(c.AID_DF1, "DF1")
        number = (self._read_unsigned(_Location("card number (DF1 EF01)", c.SFI2_CARD_NUMBER,
                                                c.FID2_CARD_NUMBER))
                  if card_number_file else None)
        entries = self._read_sm(_Location("printed entries (DF1 EF02)", c.SFI2_PRINTED_ENTRIES,
                                          c.FID2_PRINTED_ENTRIES))
        images = self._read_sm(_Location("name image and photo (DF1 EF03)", c.SFI2_IMAGES,
                                         c.FID2_IMAGES))
        address = (self._read_unsigned(_Location("address image (DF1 EF04)",
                                                 c.SFI2_ADDRESS_IMAGE, c.FID2_ADDRESS_IMAGE))
                   if address_image else None)
        back: tuple[bytes, ...] = ()
        if back_entries:
            sfis = c.SFI2_BACK_SPR if card_type.is_spr else c.SFI2_BACK_RESIDENCE
            back = self._read_back(tuple(_Location(f"DF2 file {sfi:02X}", sfi, sfi)
                                         for sfi in sfis), first_found_only=card_type.is_spr)
        self._new_step()
        self._enter(c.AID_DF3, "DF3")
        signature = self._read_plain(_Location("signature file (DF3 EF01)", c.SFI2_SIGNATURE,
                                               c.FID2_SIGNATURE))
        return SecondGenerationFiles(card_type, number, entries, images, address, signature,
                                     back, self._file_form(),
                                     tuple(dict.fromkeys(self._trailers)))

    def _file_form(self) -> FileForm:
        return self._form if self._form is not None else FileForm.SHORT_EF

    def _read_back(self, locations: tuple[_Location, ...], *,
                   first_found_only: bool = False) -> tuple[bytes, ...]:
        """DF2's files, in plain; one not found is skipped (the readings disagree on which
        there are). For an SPR certificate's one file, the first that answers."""
        self._new_step()
        try:
            self._enter(c.AID_DF2, "DF2")
        except FileNotFound:
            return ()
        files: list[bytes] = []
        for location in locations:
            try:
                files.append(self._read_plain(location, record=False))
            except (FileNotFound, ReadFailed):  # unsigned: one the chip will not give is none
                continue
            if first_found_only:
                break
        return tuple(files)

    def _read_unsigned(self, location: _Location) -> bytes | None:
        """An unsigned file shown to the clerk (the address image, the stored number): one the
        chip will not give is no file (b""), never the end of the verification. Transport
        errors still end it."""
        try:
            return self._read_file(location, secure=True, record=False)
        except (FileNotFound, ReadFailed, SecureMessagingFailed) as error:
            log.info("%s not read: %s", location.name, type(error).__name__)
            return b""

    # --- one file -------------------------------------------------------------------------------
    def _read_sm(self, location: _Location) -> bytes:
        return self._read_file(location, secure=True)

    def _read_plain(self, location: _Location, *, record: bool = True) -> bytes:
        return self._read_file(location, secure=False, record=record)

    def _read_file(self, location: _Location, *, secure: bool, record: bool = True) -> bytes:
        """The whole file, by short EF id where the card takes it, else by SELECT EF.
        `record`: the form this file answered in is the one reported (DF1 and DF3)."""
        self._file_exchanges = 0
        if self.forms.short_ef is not False:
            data = self._read_from(location, secure=secure, sfi=True)
            if data is not None:
                self.forms.short_ef = True
                if record:
                    self._form = self._form or FileForm.SHORT_EF
                return data
            if self.forms.short_ef is None:
                # Not yet seen to work: the card's OS refuses the addressing, not this file.
                self.forms.short_ef = False
                log.debug("short EF id refused for %s; SELECT EF from now on", location.name)
        self._select_ef(location.fid, location.name)
        if record:
            self._form = FileForm.SELECT_EF
        data = self._read_from(location, secure=secure, sfi=False)
        if data is None:
            raise FileNotFound(location.name, StatusWord.of(SW.FILE_NOT_FOUND))
        return data

    def _command(self, offset: int, *, secure: bool, sfi: int | None,
                 length: int | None) -> CommandAPDU:
        """READ BINARY at `offset` (by short EF id at offset 0 when `sfi`); `length` None asks
        for the whole file in an extended APDU."""
        if sfi is not None:
            p1, p2 = c.SFI_FLAG | sfi, offset
        else:
            p1, p2 = offset >> 8 & 0x7F, offset & 0xFF
        if secure:
            return sm.sm_read_command(p1, p2, length=length)
        if length is None:
            return CommandAPDU(c.CLA, c.INS_READ_BINARY, p1, p2, le=EXTENDED_MAX_LE,
                               extended=True)
        return CommandAPDU(c.CLA, c.INS_READ_BINARY, p1, p2, le=length)

    def _read_from(self, location: _Location, *, secure: bool, sfi: bool) -> bytes | None:
        """The file from offset 0; None when the card refuses the short-EF form."""
        short_id = location.sfi if sfi else None
        if self.forms.extended is not False:
            response = self._send(self._command(0, secure=secure, sfi=short_id, length=None))
            if response.sw.value == SW.WRONG_LENGTH and not response.data:
                self.forms.extended = False
                log.debug("extended length refused; chunks from now on")
            else:
                if self._refused(response, sfi=sfi):
                    return None
                self.forms.extended = True
                return self._open(response, location, secure=secure)
        return self._read_chunks(location, secure=secure, sfi=short_id)

    def _refused(self, response: ResponseAPDU, *, sfi: bool) -> bool:
        return sfi and not response.data and _refuses_short_ef(response.sw)

    def _open(self, response: ResponseAPDU, location: _Location, *, secure: bool) -> bytes:
        sw = response.sw
        if not (sw.ok or (sw.end_of_file and response.data)):
            if sw.not_found:
                raise FileNotFound(location.name, sw)
            raise ReadFailed(location.name, sw)
        if not secure:
            return response.data
        session = self._session
        if session is None:
            raise InternalError("an SM read without a session")
        try:
            answer = sm.open_answer(session, response.data)
        except sm.SmAnswerError as error:
            raise SecureMessagingFailed(f"{location.name}: {error}") from None
        self._trailers.extend(answer.trailer)
        return answer.data

    def _read_chunks(self, location: _Location, *, secure: bool, sfi: int | None) -> bytes | None:
        chunk = c.SM_CHUNK if secure else c.PLAIN_CHUNK
        data = b""
        while True:
            offset = len(data)
            if offset > c.MAX_FILE_BYTES:
                raise TooManyExchanges(f"{location.name} goes on past {c.MAX_FILE_BYTES} bytes")
            response = self._send(self._command(offset, secure=secure,
                                                sfi=sfi if offset == 0 else None, length=chunk))
            if offset == 0 and self._refused(response, sfi=sfi is not None):
                return None
            if offset and not response.data and response.sw.end_of_file:
                return data  # the file ended exactly at a chunk boundary
            piece = self._open(response, location, secure=secure)
            data += piece
            if len(piece) < chunk or response.sw.end_of_file:
                return data
