"""The My Number Card (マイナンバーカード): its card-face AP (券面事項確認AP), opened with
照合番号B, and its text AP (券面事項入力補助AP) as a cross-check. Never the 個人番号."""
