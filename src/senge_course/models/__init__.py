"""The course's models: pure functions and frozen results, no drawing, no widgets.

Each module models one concept and imports only numpy, scipy, networkx and the
standard library (an import-linter contract in ``pyproject.toml`` enforces it):

- `parameters`: the parameter tables every model validates with and every app builds controls from;
- `dynamics`: a small stock-and-flow integrator;
- `contagion`: the threshold engine (who commits when enough of their contacts have);
- `crowd`: Granovetter's riot crowd and the equilibrium of a threshold distribution;
- `cascades`: Watts's cascade window and cascades on random networks;
- `org`: organisations with three kinds of leader, formal and informal ties;
- `topologies`: ring lattices, rewiring, clustered lattices and random regular networks;
- `brokerage`: brokers and suggested networkers (degree, betweenness, Burt's measures);
- `bridges`: bridges between two teams and long ties (Centola & Macy);
- `leadership`: the three kinds of leader as levers on the spread of a practice;
- `regime`, `capability`: how an organisation responds to pressure, and the capability trap;
- `knowledge`, `diagnosis`: the research, capacity-building and practice cycle, and its failure modes;
- `loops`, `cycle`: causal loop diagrams as data (systems archetypes, the knowledge cycle);
- `plan`, `capstone`: an integration plan and the capstone design.

Examples
--------
>>> from senge_course.models import capability
>>> capability.simulate(capability.COMMITMENT, target_change=0.2, surge_weeks=8).recovered
True
"""
