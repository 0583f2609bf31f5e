"""Template reuse: boilerplate copied between offices, template families, sources and leaks."""
