"""The email channel: raw RFC 822 bytes in, `InboundMessage` out (`parser.parse_email`)."""
