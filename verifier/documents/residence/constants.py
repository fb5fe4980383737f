"""Every identifier of the 在留カード / 特別永住者証明書 chip this project uses, once
(../shared/docs/residence-card-spec.md). A correction to the card's layout lands here.

Where the two public readings of the Agency's specifications disagree, both values are named
here and the reader tries them in the order given (spec section 2).
"""

from typing import Final

# --- Commands ---------------------------------------------------------------------------------
CLA: Final = 0x00
#: CLA of the secure-messaging commands: proprietary SM indication, no header authentication.
CLA_SM: Final = 0x08
INS_SELECT: Final = 0xA4
INS_READ_BINARY: Final = 0xB0
INS_VERIFY: Final = 0x20
INS_GET_CHALLENGE: Final = 0x84
INS_MUTUAL_AUTHENTICATE: Final = 0x82
SELECT_MF: Final = 0x00  # P1: select the MF (data 3F 00)
SELECT_EF: Final = 0x02  # P1: select an EF under the current DF by its file id
SELECT_DF_NAME: Final = 0x04  # P1: select by DF name (AID)
SELECT_NO_FCI: Final = 0x0C  # P2: no answer data
SELECT_WITH_FCI: Final = 0x00  # P2 some readers' MF select uses (the other reading's form)
MF_FILE_ID: Final = bytes.fromhex("3F00")
SFI_FLAG: Final = 0x80  # READ BINARY P1 bit 8: bits 1-5 are a short EF id, P2 the offset
SFI_MASK: Final = 0x1F
MAX_OFFSET: Final = 0x7FFF  # READ BINARY P1-P2 as an offset: 15 bits
VERIFY_P2_NUMBER: Final = 0x86  # VERIFY P2: the card-number reference, SM-wrapped

# --- Applications (spec 2) --------------------------------------------------------------------
AID_DF1: Final = bytes.fromhex("D392F0004F0200000000000000000000")
AID_DF2: Final = bytes.fromhex("D392F0004F0300000000000000000000")
AID_DF3: Final = bytes.fromhex("D392F0004F0400000000000000000000")
AIDS: Final = (AID_DF1, AID_DF2, AID_DF3)

# --- MF files (free to read) -------------------------------------------------------------------
SFI_MF_COMMON: Final = 0x0B  # EF01 common data: READ BINARY P1 8B
SFI_MF_CARD_TYPE: Final = 0x0A  # EF02 card type: READ BINARY P1 8A
#: File ids for SELECT EF where a reader or card refuses short EF ids. Not published: the EF
#: names (EF01, EF02) read as file ids, the My Number Card's convention.
FID_MF_COMMON: Final = 0x0001
FID_MF_CARD_TYPE: Final = 0x0002
TAG_COMMON_DATA: Final = 0xC0  # spec version, e.g. "0002"
TAG_CARD_TYPE: Final = 0xC1

# --- Card types (MF EF02, tag C1) --------------------------------------------------------------
TYPE_RESIDENCE_1: Final = b"1"  # 在留カード, first generation
TYPE_SPR_1: Final = b"2"  # 特別永住者証明書, first generation
TYPE_RESIDENCE_2: Final = b"05"  # 第2世代在留カード
TYPE_SPR_2: Final = b"06"  # 第2世代特別永住者証明書
TYPE_SPECIFIED_RESIDENCE: Final = b"07"  # 特定在留カード (My Number function): out of scope
TYPE_SPECIFIED_SPR: Final = b"08"  # 特定特別永住者証明書: out of scope

# --- Second generation (types 05/06): short EF ids after selecting the DF ---------------------
SFI2_CARD_NUMBER: Final = 0x01  # DF1 EF01: C2
SFI2_PRINTED_ENTRIES: Final = 0x03  # DF1 EF02: C5..CE
SFI2_IMAGES: Final = 0x04  # DF1 EF03: D0 name image + D1 face
SFI2_ADDRESS_IMAGE: Final = 0x06  # DF1 EF04: DFD1
SFI2_SIGNATURE: Final = 0x02  # DF3 EF01: DC + DD
#: DF2 of a residence card: permission, renewal status, other.
SFI2_BACK_RESIDENCE: Final = (0x01, 0x02, 0x03)
#: DF2 of an SPR certificate: "other" only. The readings disagree on its short id (this spec
#: says 81, the other reading 83): both are tried, in this order.
SFI2_BACK_SPR: Final = (0x01, 0x03)
#: File ids of the same files for SELECT EF (their EF names: a guess, used only as a fallback).
FID2_CARD_NUMBER: Final = 0x0001
FID2_PRINTED_ENTRIES: Final = 0x0002
FID2_IMAGES: Final = 0x0003
FID2_ADDRESS_IMAGE: Final = 0x0004
FID2_SIGNATURE: Final = 0x0001

TAG_CARD_NUMBER: Final = 0xC2
TAG_EXPIRY: Final = 0xC5  # card expiry YYYYMMDD
TAG_BIRTH: Final = 0xC6  # YYYYMMDD
TAG_SEX: Final = 0xC7  # 1 male, 2 female, 3 not stated
TAG_NATIONALITY: Final = 0xC8  # nationality / region code, 3 characters
TAG_STATUS: Final = 0xC9  # status of residence code, 10 characters
TAG_PERMISSION_TYPE: Final = 0xCA  # residence card only
TAG_PERMISSION_DATE: Final = 0xCB  # residence card only
TAG_WORK_RESTRICTION: Final = 0xCC
TAG_RESIDENCE_EXPIRY: Final = 0xCD  # residence card only
TAG_PERIOD_OF_STAY: Final = 0xCE  # YYMM, DDD, or 0000 (indefinite)
#: The printed entries of a residence card in the order both readings list them; sizes are the
#: values' (spec: 53 bytes in all).
PRINTED_RESIDENCE: Final = ((TAG_EXPIRY, 8), (TAG_BIRTH, 8), (TAG_SEX, 1), (TAG_NATIONALITY, 3),
                            (TAG_STATUS, 10), (TAG_PERIOD_OF_STAY, 4), (TAG_PERMISSION_TYPE, 2),
                            (TAG_PERMISSION_DATE, 8), (TAG_WORK_RESTRICTION, 1),
                            (TAG_RESIDENCE_EXPIRY, 8))
#: An SPR certificate's: 34 bytes. Neither reading lists them; these six are the only ones of
#: the residence card's whose sizes make 34 with the file's 46-byte capacity (6 x 2-byte
#: headers), so the reader never relies on which tags they are.
PRINTED_SPR: Final = ((TAG_EXPIRY, 8), (TAG_BIRTH, 8), (TAG_SEX, 1), (TAG_NATIONALITY, 3),
                      (TAG_STATUS, 10), (TAG_PERIOD_OF_STAY, 4))
PRINTED_SIGNED_BYTES: Final = 53  # the signed target's first part, SPR padded with 00 to it
PRINTED_RESIDENCE_BYTES: Final = 53
PRINTED_SPR_BYTES: Final = 34

TAG_NAME_IMAGE: Final = 0xD0  # gen 2: name, MMR (Group 4) TIFF; gen 1: front of the card, TIFF
TAG_PHOTO: Final = 0xD1  # JPEG 2000, both generations
TAG_ADDRESS_IMAGE: Final = 0xDFD1  # gen 2, MMR TIFF; not signed
TAG_SIGNATURE_2: Final = 0xDC  # ECDSA P-384 with SHA-256, 96 bytes r || s
TAG_CERTIFICATE_2: Final = 0xDD  # X.509 v3, ~598 bytes
ECDSA_SIGNATURE_BYTES: Final = 96
NAME_IMAGE_MAX_2: Final = 2500  # what the other reading pads D0 to in the signed target
PHOTO_MAX: Final = 3000

# --- First generation (types 1/2) ---------------------------------------------------------------
#: DF1 files by short EF id, as both public readers' code reads them.
SFI1_FRONT_IMAGE: Final = 0x05
SFI1_PHOTO: Final = 0x06
SFI1_SIGNATURE: Final = 0x02  # DF3
#: The other reading's names (DF1 EF01, EF02; DF3 EF01), used as file ids for SELECT EF.
FID1_FRONT_IMAGE: Final = 0x0001
FID1_PHOTO: Final = 0x0002
FID1_SIGNATURE: Final = 0x0001
#: DF2 (entries added on the back: address changes, permissions); unsigned, shown only.
SFI1_BACK: Final = (0x01, 0x02, 0x03, 0x04)
TAG_SIGNATURE_1: Final = 0xDA  # RSA-2048 PKCS#1 v1.5 with SHA-256 ("check code")
TAG_CERTIFICATE_1: Final = 0xDB  # X.509 v3, at most 1200 bytes (may be 00-padded to it)
RSA_SIGNATURE_BYTES: Final = 256
FRONT_IMAGE_SIGNED_BYTES: Final = 7000  # D0 padded with 00 to this in the signed target
PHOTO_SIGNED_BYTES: Final = 3000  # D1 likewise

# --- Sizes the reader bounds its reads by -------------------------------------------------------
#: The largest file of each kind a genuine card can hold (value maxima plus 4-byte headers,
#: with room for padding): a file claiming more is not read past this.
MAX_FILE_BYTES: Final = 8192
#: Plain text of one chunk of a chunked SM read: with the 80 00.. padding and `86 81 LL 01`
#: around it, the answer fits a short Le (256) for both block sizes.
SM_CHUNK: Final = 0xE0
PLAIN_CHUNK: Final = 256

# --- Secure messaging (spec 3) -----------------------------------------------------------------
CHALLENGE_BYTES: Final = 8
KEY_BYTES: Final = 16
MAC_BYTES: Final = 8
AUTH_DATA_BYTES: Final = 40  # E (32) + M (8), both ways
TAG_SM_CRYPTOGRAM: Final = 0x86  # value: 01 (padding indicator) + ciphertext
TAG_SM_LE: Final = 0x96  # SM READ BINARY: the expected length, 2 bytes (00 00: the whole file)
TAG_SM_STATUS: Final = 0x99  # an answer's protected status word, where a card sends one
TAG_SM_MAC: Final = 0x8E  # an answer's MAC, where a card sends one
PADDING_INDICATOR: Final = 0x01
SESSION_KEY_COUNTER: Final = bytes.fromhex("00000001")
NUMBER_PADDING: Final = bytes.fromhex("80000000")
