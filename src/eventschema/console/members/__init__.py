"""The Members page: the project's organization's members and pending invitations."""
