"""Pure routing core: decisions from state, time from an injected clock, events instead of I/O."""
