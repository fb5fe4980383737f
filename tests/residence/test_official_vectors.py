"""Every line of the Agency's official test vectors (second-generation spec, Appendix 2, as
recorded in ../shared/docs/residence-card-spec.md 3), reproduced by the verifier's code alone.
No simulated card of ours wrote them: they hold the second generation's reading of the spec
against the one the card side of our round trips shares.

For the first generation the Agency publishes no vectors. Its primitives — 2-key 3DES-CBC, the
ISO/IEC 9797-1 MAC algorithm 3 with padding method 2, and the session key SHA-1(seed ‖ 00 00 00
01)[0:16] with DES parity — are exactly those of ICAO Doc 9303 Basic Access Control, whose
worked example (Doc 9303 Part 11, Appendix D.3) is reproduced here instead.
"""

from __future__ import annotations

import hashlib

import pytest

from verifier.documents.residence import secure_messaging as sm
from verifier.documents.residence import sm_crypto
from verifier.documents.residence.card_number import parse_card_number
from verifier.documents.residence.card_type import Generation


def h(text: str) -> bytes:
    return bytes.fromhex(text)


NUMBER = h("41 41 31 32 33 34 35 36 37 38 42 42")
SHA1 = h("65 22 B4 E1 71 19 5B B2 18 22 3A 97 6C 04 01 11 BD C4 AA 25")
K = h("65 22 B4 E1 71 19 5B B2 18 22 3A 97 6C 04 01 11")
RND_IFD = h("11 22 33 44 55 66 77 88")
K_IFD = h("40 41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F")
RND_ICC = h("92 1C E2 77 32 3D A0 57")
E_IFD = h("4A D3 C7 B6 BB 48 4A 52 77 19 77 DE D6 18 B4 1D F8 41 FA 04 76 A0 5F BE 04 1D EA D6"
          " 10 9E 77 3B")
M_IFD = h("AC 85 46 17 63 4F 53 97")
E_ICC = h("28 9A 96 B1 DA 6A E3 DA 87 77 04 19 BF D1 4F 0B DA D1 5F 36 43 2B 5A 94 6C 18 8C 72"
          " 21 75 9A 62")
M_ICC = h("FA 94 2E C5 1E 62 FF 5F")
E_ICC_PLAIN = h("92 1C E2 77 32 3D A0 57 11 22 33 44 55 66 77 88 2C C6 AF 9B 8B 60 7C 66 2F DC"
                " AD 27 B4 01 D0 8B")
SEED = h("6C 87 ED D8 CF 25 3A 21 67 95 E7 6C F8 4C 9E C4")
KS_ENC = h("C1 9C F1 3D 3D 7F BE E9 EA 29 3D 83 4C 88 95 2F")
VERIFY = h("08 20 00 86 13 86 11 01 EE 0B 31 EF 87 7F 68 D0 71 C5 6D 58 C7 2E 67 48")
NONCES = sm.TerminalNonces(RND_IFD, K_IFD)


def test_the_number_is_its_12_ascii_bytes() -> None:
    assert parse_card_number("AA12345678BB").to_bytes() == NUMBER


def test_sha1_of_the_number() -> None:
    assert hashlib.sha1(parse_card_number("aa12345678bb").to_bytes()).digest() == SHA1


def test_kenc_and_kmac() -> None:
    assert sm_crypto.base_key(parse_card_number("AA12345678BB")) == K


def test_e_ifd() -> None:
    assert sm_crypto.aes_encrypt(K, RND_IFD + RND_ICC + K_IFD) == E_IFD


def test_m_ifd() -> None:
    assert sm_crypto.aes_cmac8(K, E_IFD) == M_IFD


def test_mutual_authenticate_data_and_command() -> None:
    data = sm.authentication_data(Generation.SECOND, K, RND_ICC, NONCES)
    assert data == E_IFD + M_IFD
    assert sm.mutual_authenticate_command(data).to_bytes() == (
        h("00 82 00 00 28") + E_IFD + M_IFD + h("00"))


def test_m_icc_is_checked() -> None:
    assert sm_crypto.aes_cmac8(K, E_ICC) == M_ICC


def test_e_icc_decrypted() -> None:
    assert sm_crypto.aes_decrypt(K, E_ICC) == E_ICC_PLAIN


def test_k_ifd_xor_k_icc() -> None:
    assert sm_crypto.key_seed(K_IFD, E_ICC_PLAIN[16:]) == SEED


def test_ks_enc() -> None:
    assert sm_crypto.session_key(sm_crypto.Suite.AES, K_IFD, E_ICC_PLAIN[16:]) == KS_ENC


def test_the_chip_answer_opens_the_session() -> None:
    session = sm.open_session(Generation.SECOND, K, E_ICC + M_ICC, RND_ICC, NONCES)
    assert session.ks_enc == KS_ENC


def test_verify_apdu() -> None:
    session = sm.open_session(Generation.SECOND, K, E_ICC + M_ICC, RND_ICC, NONCES)
    command = sm.verify_command(session, parse_card_number("AA12345678BB"))
    assert command.to_bytes() == VERIFY


def test_an_m_icc_off_by_one_bit_is_a_mismatch_not_a_session() -> None:
    with pytest.raises(sm.CardMacMismatch):
        sm.open_session(Generation.SECOND, K, E_ICC + M_ICC[:-1] + bytes((M_ICC[-1] ^ 1,)),
                        RND_ICC, NONCES)


def test_nonces_out_of_place_are_refused_after_the_mac() -> None:
    other = sm.TerminalNonces(bytes(8), K_IFD)
    with pytest.raises(sm.NonceMismatch):
        sm.open_session(Generation.SECOND, K, E_ICC + M_ICC, RND_ICC, other)


# --- first-generation primitives: ICAO Doc 9303 Part 11, Appendix D.3 --------------------------
BAC_KENC = h("AB94FDECF2674FDFB9B391F85D7F76F2")
BAC_KMAC = h("7962D9ECE03D1ACD4C76089DCE131543")
BAC_S = h("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B")
BAC_E_IFD = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
BAC_M_IFD = h("5F1448EEA8AD90A7")
BAC_E_IC = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F")
BAC_M_IC = h("2F2D235D074D7449")
BAC_R = h("4608F91988702212781723860C06C2260B4F80323EB3191CB04970CB4052790B")
BAC_K_IFD = h("0B795240CB7049B01C19B33E32804F0B")
BAC_SEED = h("0036D272F5C350ACAC50C3F572D23600")
BAC_KS_ENC = h("979EC13B1CBFE9DCD01AB0FED307EAE5")


def test_icao_3des_cbc_encryption() -> None:
    assert sm_crypto.tdes_encrypt(BAC_KENC, BAC_S) == BAC_E_IFD


def test_icao_retail_mac_of_the_terminal() -> None:
    assert sm_crypto.retail_mac(BAC_KMAC, BAC_E_IFD) == BAC_M_IFD


def test_icao_retail_mac_of_the_chip() -> None:
    assert sm_crypto.retail_mac(BAC_KMAC, BAC_E_IC) == BAC_M_IC


def test_icao_3des_cbc_decryption() -> None:
    assert sm_crypto.tdes_decrypt(BAC_KENC, BAC_E_IC) == BAC_R


def test_icao_session_key_with_des_parity() -> None:
    k_ic = BAC_R[16:]
    assert sm_crypto.key_seed(BAC_K_IFD, k_ic) == BAC_SEED
    assert sm_crypto.session_key(sm_crypto.Suite.TDES, BAC_K_IFD, k_ic) == BAC_KS_ENC


def test_parity_is_odd_in_every_byte() -> None:
    assert all(bin(byte).count("1") % 2 == 1 for byte in BAC_KS_ENC)
    assert sm_crypto.with_des_parity(bytes(range(256))) == bytes(
        b & 0xFE | (bin(b & 0xFE).count("1") + 1) % 2 for b in range(256))
