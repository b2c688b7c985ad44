"""Cadenza: live classes and self-paced learning inside one course."""
