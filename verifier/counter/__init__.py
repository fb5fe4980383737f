"""The application layer: one card at the counter, and the policies every front end shares.

`Counter` (visit.py) runs a card from placing to release; `CounterPolicy` (policy.py) holds
trust, the tries floor, simulated/training marking and the audit log. The CLI, the GUI worker,
batch, the demo and the bench all go through here; none of them re-implements a policy.
"""
