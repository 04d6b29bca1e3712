"""Teenage Engineering OP-Z projects (project.opz) and sample packs: open and save byte-exact,
tempo, chains, patterns, tracks, notes, kits, MIDI export. Numbers count from 1 as on the device."""

from groovekit._groovekit.opz import TRACK_NAMES, Kit, Note, Pattern, Project, Track, midi_channels

__all__ = ["TRACK_NAMES", "Kit", "Note", "Pattern", "Project", "Track", "midi_channels"]
