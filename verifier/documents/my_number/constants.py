"""Every constant of the My Number Card chip this project uses (../shared/docs/card-spec.md), once.

A correction to the card's layout lands here and nowhere else.
"""

from typing import Final

from apdu import iso
from verifier.card import limits

# --- Applications (spec 1) -------------------------------------------------------------------
AID_CARD_FACE: Final = bytes.fromhex("D3921000310001010402")  # 券面事項確認AP
AID_TEXT: Final = bytes.fromhex("D3921000310001010408")  # 券面事項入力補助AP
AID_JPKI: Final = bytes.fromhex("D392F000260100000001")  # 公的個人認証AP (never used here)

# --- Card-face AP files (spec 2) -------------------------------------------------------------
EF_CF_AGE: Final = 0x0001
EF_CF_FACE: Final = 0x0002
EF_CF_BASIC_INFO: Final = 0x0003
EF_CF_CERTIFICATE: Final = 0x0004
EF_CF_MY_NUMBER_IMAGE: Final = 0x0005  # opened by 照合番号A only: NEVER read (rule 1)
EF_CF_KEY_BIRTH: Final = 0x0011
EF_CF_KEY_CODE_B: Final = 0x0012
EF_CF_KEY_CODE_A: Final = 0x0013  # NEVER presented (rule 1)

# --- Text AP files (spec 5) ------------------------------------------------------------------
EF_TX_MY_NUMBER: Final = 0x0001  # NEVER read (rule 1)
EF_TX_BASIC_FOUR: Final = 0x0002
EF_TX_INTEGRITY: Final = 0x0003
EF_TX_CERTIFICATE: Final = 0x0004
EF_TX_KEY_CODE_B: Final = 0x0015

#: Files this project must never select or read, per AP.
FORBIDDEN_EFS: Final = {AID_CARD_FACE: frozenset({EF_CF_MY_NUMBER_IMAGE, EF_CF_KEY_CODE_A}),
                        AID_TEXT: frozenset({EF_TX_MY_NUMBER})}

# --- Card face EF 0002 tags ------------------------------------------------------------------
TAG_FACE: Final = 0xFF20
TAG_FACE_OFFSETS: Final = 0xDF21
TAG_FACE_BIRTH: Final = 0xDF22
TAG_FACE_SEX: Final = 0xDF23
TAG_FACE_CARD_KEY: Final = 0xDF24
TAG_FACE_NAME_PNG: Final = 0xDF25
TAG_FACE_ADDRESS_PNG: Final = 0xDF26
TAG_FACE_PHOTO_JP2: Final = 0xDF27
TAG_FACE_SIGNATURE: Final = 0xDF28
TAG_FACE_EXPIRY: Final = 0xDF29
TAG_FACE_SECURITY_CODE_PNG: Final = 0xDF2A
FACE_OBJECTS: Final = (TAG_FACE_BIRTH, TAG_FACE_SEX, TAG_FACE_CARD_KEY, TAG_FACE_NAME_PNG,
                       TAG_FACE_ADDRESS_PNG, TAG_FACE_PHOTO_JP2, TAG_FACE_SIGNATURE,
                       TAG_FACE_EXPIRY, TAG_FACE_SECURITY_CODE_PNG)
#: The three groups of TLVs whose SHA-256 hashes make the 96-byte signed digest.
FACE_SIGNED_GROUPS: Final = ((TAG_FACE_BIRTH, TAG_FACE_SEX, TAG_FACE_CARD_KEY),
                             (TAG_FACE_NAME_PNG, TAG_FACE_ADDRESS_PNG),
                             (TAG_FACE_PHOTO_JP2,))
TAG_RSA_EXPONENT: Final = 0x90
TAG_RSA_MODULUS: Final = 0x91

# --- EF 0003 AP basic info -------------------------------------------------------------------
TAG_BASIC_INFO: Final = 0xFF30
TAG_BI_LAYOUT: Final = 0xDF31
TAG_BI_KEY_ID: Final = 0xDF32
TAG_BI_VERSION: Final = 0xDF33
TAG_BI_MUNICIPALITY: Final = 0xDF34
TAG_BI_OPAQUE: Final = 0xDF35

# --- Card-verifiable certificate (EF 0004) ---------------------------------------------------
TAG_CV_CERT: Final = 0x7F21
TAG_CV_BODY: Final = 0x5F4E
TAG_CV_SIGNATURE: Final = 0x5F37
KEY_ID_LEN: Final = 16
CV_BODY_LEN: Final = 297
RSA_BITS: Final = 2048
RSA_BYTES: Final = RSA_BITS // 8

# --- Text AP records -------------------------------------------------------------------------
TAG_TX_BASIC_FOUR: Final = 0xFF20
TAG_TX_OFFSETS: Final = 0xDF21
TAG_TX_NAME: Final = 0xDF22
TAG_TX_ADDRESS: Final = 0xDF23
TAG_TX_BIRTH: Final = 0xDF24
TAG_TX_SEX: Final = 0xDF25
TAG_TX_INTEGRITY: Final = 0xFF30
TAG_TX_HASH_MY_NUMBER: Final = 0xDF31
TAG_TX_HASH_BASIC_FOUR: Final = 0xDF32
TAG_TX_SIGNATURE: Final = 0xDF33

# --- Instructions ----------------------------------------------------------------------------
CLA: Final = iso.CLA
CLA_PROPRIETARY: Final = 0x80
INS_SELECT: Final = iso.INS_SELECT
INS_VERIFY: Final = iso.INS_VERIFY
INS_READ_BINARY: Final = iso.INS_READ_BINARY
INS_GET_CHALLENGE: Final = iso.INS_GET_CHALLENGE
INS_COMPUTE_SIGNATURE: Final = 0x2A
SELECT_BY_DF_NAME: Final = iso.SELECT_BY_DF_NAME
SELECT_EF_UNDER_DF: Final = iso.SELECT_EF_UNDER_DF
SELECT_NO_FCI: Final = iso.SELECT_NO_FCI
VERIFY_P2_SELECTED: Final = iso.VERIFY_P2_SELECTED
SFI_FLAG: Final = iso.SFI_FLAG
COMPUTE_SIGNATURE_P1: Final = 0x00
COMPUTE_SIGNATURE_P2: Final = 0x00  # the AP's default (card) key

# --- 照合番号B (spec 3) -----------------------------------------------------------------------
CODE_B_LENGTH: Final = 14
CODE_B_MAX_TRIES: Final = 10  # secondary sources only
DEFAULT_KEEP_TRIES: Final = 3

# --- Trust anchors: issuers named by production and test certificates -------------------------
ISSUER_CARD_FACE_PRODUCTION: Final = "5000023"
ISSUER_CARD_FACE_JPKI_TEST: Final = "6000023"
ISSUER_TEXT_PRODUCTION: Final = "5000033"
ISSUER_TEXT_JPKI_TEST: Final = "6000033"

# --- Bounds for hostile input ----------------------------------------------------------------
MAX_FILE_BYTES: Final = limits.MAX_FILE_BYTES
MAX_PHOTO_PIXELS: Final = limits.MAX_PHOTO_PIXELS
