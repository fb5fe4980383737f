"""The ISO/IEC 7816-4 command bytes every document's reading uses (inter-industry class)."""

from typing import Final

CLA: Final = 0x00
INS_SELECT: Final = 0xA4
INS_READ_BINARY: Final = 0xB0
INS_VERIFY: Final = 0x20
INS_GET_CHALLENGE: Final = 0x84
INS_MUTUAL_AUTHENTICATE: Final = 0x82
SELECT_MF: Final = 0x00
SELECT_EF_UNDER_DF: Final = 0x02
SELECT_BY_DF_NAME: Final = 0x04
SELECT_NO_FCI: Final = 0x0C
#: READ BINARY P1 / VERIFY P2 with a short EF identifier in the low five bits.
SFI_FLAG: Final = 0x80
#: VERIFY P2: the key reference of the EF selected by SELECT EF.
VERIFY_P2_SELECTED: Final = 0x80
