// Placeholder until config lands.
