"""State changes of the supervision module; each writes its change-log row in the same transaction."""
