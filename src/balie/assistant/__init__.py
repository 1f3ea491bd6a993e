"""The offline virtual assistant: answers from the knowledge base, self-service actions and
hand-off to a person with the transcript."""
