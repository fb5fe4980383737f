"""Large type and verdict colours. Colours repeat what the words and icons already say."""

from __future__ import annotations

BASE_POINT_SIZE = 13
FONT_FAMILIES = ("IPAexGothic", "Noto Sans CJK JP", "Yu Gothic UI", "Meiryo", "Hiragino Sans")

STYLE_SHEET = """
QWidget { font-size: 13pt; }
QLabel#status { font-size: 15pt; font-weight: bold; padding: 4px 8px; }
QLabel#status[state="removed"], QLabel#status[state="idle_wiped"] { color: #0d47a1; }
QLabel#status[state="error"] { color: #b71c1c; }
QFrame#verdictBanner { border: 3px solid #888888; border-radius: 8px; min-height: 64px; }
QFrame#verdictBanner[verdict="genuine"] { background: #e8f5e9; border-color: #1b5e20; }
QFrame#verdictBanner[verdict="counterfeit"] { background: #ffebee; border-color: #b71c1c; }
QFrame#verdictBanner[verdict="invalid"] { background: #fff3e0; border-color: #e65100; }
QFrame#verdictBanner[verdict="unverified"] { background: #fffde7; border-color: #827717; }
QFrame#verdictBanner[verdict="note"] { background: #f5f5f5; }
QFrame#verdictBanner[verdict="simulated"] { background: #f3e5f5; border: 3px dashed #4a148c; }
QLabel#trainingBanner { font-weight: bold; color: #ffffff; background: #4a148c; padding: 4px; }
QFrame#verdictBanner[verdict="empty"] { background: transparent; border-color: #dddddd; }
QLabel#verdictWords { font-size: 28pt; font-weight: bold; }
QFrame#verdictBanner[verdict="note"] QLabel#verdictWords { font-size: 16pt; font-weight: normal; }
QLabel#configError { color: #b71c1c; font-weight: bold; }
QLabel#reason { font-size: 14pt; font-weight: bold; color: #b71c1c; }
QLabel#nextSteps { font-size: 14pt; background: #f5f5f5; padding: 8px;
                   border-left: 6px solid #0d47a1; }
QLabel#nextSteps[action="refuse"] { border-left-color: #b71c1c; font-weight: bold; }
QLabel#nextSteps[action="not_accepted"] { border-left-color: #827717; font-weight: bold;
                                          background: #fffde7; }
QLabel#cautions { font-size: 14pt; font-weight: bold; color: #5d4037; background: #fff3cd;
                  border: 2px solid #e0a800; padding: 6px; }
QLabel#trustBanner { font-weight: bold; color: #ffffff; background: #e65100; padding: 4px; }
QLabel#photo { border: 1px solid #999999; background: #fafafa; }
QLabel#frontCaption { font-weight: bold; color: #0d47a1; }
QLabel#chipDocument { font-weight: bold; }
QLabel#unsignedNote { font-size: 11pt; color: #5d4037; background: #fff3cd; padding: 2px 4px; }
QLabel#entriesCaption { font-weight: bold; }
QLabel#caOutcome { padding: 4px; background: #e8f5e9; }
QLabel#caOutcome[refused="true"] { color: #b71c1c; font-weight: bold; background: #ffebee; }
QLabel#caStatus { font-size: 11pt; }
QLabel#tries { font-size: 14pt; }
QLabel#tries[refused="true"] { color: #b71c1c; font-weight: bold; background: #ffebee;
                               padding: 6px; }
QLabel#tries[warn="true"] { font-size: 16pt; font-weight: bold; color: #827717;
                            background: #fffde7; padding: 6px; }
QLabel#auditNotice { color: #ffffff; background: #b71c1c; font-weight: bold; padding: 6px; }
QLabel#codeMessage { color: #333333; }
QLabel#note { font-size: 11pt; color: #555555; }
QLineEdit { font-size: 18pt; padding: 2px 4px; }
QLineEdit[doubtful="true"] { background: #fff3cd; border: 2px solid #e0a800; }
QComboBox#era { font-size: 16pt; }
QPushButton#confirm { font-size: 16pt; font-weight: bold; padding: 8px; }
QLabel#simulatedBanner { font-weight: bold; color: #4a148c; }
QWidget#simulatedPanel { background: #f3e5f5; border: 2px dashed #4a148c; }
QTableView, QHeaderView { font-size: 11pt; }
"""
