"""The real-time collector behind `leadscore serve`: Segment- and SendGrid-shaped HTTP
requests in, landing files out (pure request parsing, atomic landing writes, score reads)."""
