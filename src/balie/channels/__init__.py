"""Channel adapters: outside formats (email, chat, forms, social) in, `InboundMessage` out."""
