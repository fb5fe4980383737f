"""The My Number Card as a document of the counter: recognised by SELECT of its card-face AP,
opened with 照合番号B, trusted through the J-LIS card-verifiable certificate keys."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from verifier.card.trust_files import starts_with
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.check_ids import DOCUMENT, CheckId
from verifier.documents.my_number.checks import Verification, VerifyOptions
from verifier.documents.my_number.trust import PRODUCTION, SIMULATED, TrustStore
from verifier.engine.document import Found, KeyKind, Options, Recognition, TrustRequest
from verifier.engine.steps import Channel
from verifier.engine.verdict import Detail
from verifier.errors import ConfigError, TrustFileError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

CHECK_NAMES: Mapping[str, Detail] = MappingProxyType({
    CheckId.CHIP_PRESENT: Detail("ICチップの応答", "Chip answers"),
    CheckId.AP_CARD_FACE: Detail("マイナンバーカードとしての応答", "Card-face application"),
    CheckId.CERTIFICATE_TRUSTED: Detail("証明書の発行元", "Certificate issuer"),
    CheckId.CODE_B_RETRIES: Detail("照合番号Bの残り回数", "Code B tries left"),
    CheckId.CODE_B_VERIFY: Detail("照合番号Bの照合", "Code B"),
    CheckId.CARD_FACE_SIGNATURE: Detail("券面情報の電子署名", "Card-face signature"),
    CheckId.CHIP_AUTHENTIC: Detail("ICチップの真正性", "Chip authenticity (challenge)"),
    CheckId.CODE_B_CONSISTENT: Detail("入力内容とICチップの一致", "Code B matches chip data"),
    CheckId.CARD_NOT_EXPIRED: Detail("有効期限", "Expiry"),
    CheckId.TEXT_AP_SIGNATURE: Detail("文字情報の電子署名", "Text application signature"),
    CheckId.TEXT_AP_CONSISTENT: Detail("文字情報と券面情報の一致", "Text application consistency"),
    CheckId.PRINTED_FACE: Detail("券面の印字とICチップの一致", "Printed face matches the chip"),
})


def takes_trust_file(path: Path) -> bool:
    """Whether a trust file is in this document's format (the card-ca-keys.json format)."""
    return starts_with(path, b"{")


class MyNumberCard:
    name = DOCUMENT
    result_names = (DOCUMENT,)
    title = Detail("マイナンバーカード", "My Number Card")
    key_kind = KeyKind.CODE_B
    check_names = CHECK_NAMES

    def trust(self, request: TrustRequest) -> TrustStore:
        """Production always; named hierarchies and files; and for the simulated-card plug-in's
        own cards, the simulated CA without being named. (Whatever is trusted, the checks
        accept the simulated CA only on a simulated card: its private keys are public.)"""
        accepted = {PRODUCTION, *request.hierarchies}
        if request.in_process_simulated:
            accepted.add(SIMULATED)
        try:
            store = TrustStore.builtin(accepted=tuple(sorted(accepted)))
            for path in request.files:
                if takes_trust_file(path):
                    store = store.with_file(path)
        except TrustFileError as error:
            raise ConfigError(str(error)) from error
        return store

    def accepts_trust_file(self, path: Path) -> bool:
        return takes_trust_file(path)

    def trust_file_keys(self, path: Path) -> tuple[PublicKeyTypes, ...]:
        from verifier.documents.my_number.crypto import public_key
        from verifier.documents.my_number.trust import load_anchors

        return tuple(public_key(anchor.key) for anchor in load_anchors(path))

    def recognise(self, channel: Channel) -> Recognition:
        sw = channel.session.select_ap(p.AID_CARD_FACE)
        if sw.ok:
            return Recognition(Found.YES, sw)
        return Recognition(Found.NO if sw.not_found else Found.UNCLEAR, sw)

    def verification(self, channel: Channel, options: Options, trust: Any,
                     recognition: Recognition, *,
                     clock: Callable[[], float] = time.perf_counter,
                     nonce: Callable[[int], bytes] = os.urandom) -> Verification:
        assert isinstance(trust, TrustStore)
        return Verification(channel, VerifyOptions(
            trust=trust, today=options.today, keep_tries=options.keep_tries,
            text_ap=options.text_ap, decode_photo=options.decode_photo,
            simulated=options.simulated, deadline_s=options.deadline_s),
            clock=clock, nonce=nonce, first_select=recognition.answer)


MY_NUMBER = MyNumberCard()
