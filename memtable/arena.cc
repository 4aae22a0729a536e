// Placeholder until the arena lands.
