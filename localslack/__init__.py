"""A local Slack for tests and the demo: a Web API emulator and a client that signs requests."""
