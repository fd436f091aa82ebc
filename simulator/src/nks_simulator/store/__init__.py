"""The parts of the simulator's store, one per responsibility; composed by :class:`nks_simulator.state.Store`."""
