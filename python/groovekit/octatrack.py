"""Elektron Octatrack projects: the typed model (project, banks, patterns, tracks, steps, locks,
parts, scenes, samples, arrangements) and the project operations (copy_bank, slots, restore).
Numbers count from 1 as the device shows them; every object is a live view of its project, so an
edit writes through and ``Project.save()`` writes it."""

from groovekit._groovekit.octatrack import (
    Arrangement,
    AudioStep,
    AudioTrack,
    Bank,
    Locks,
    MidiPartTrack,
    MidiStep,
    MidiTrack,
    Part,
    PartTrack,
    Pattern,
    Plan,
    Project,
    SampleSlot,
    copy_bank,
    restore,
    slots,
)

__all__ = [
    "Arrangement",
    "AudioStep",
    "AudioTrack",
    "Bank",
    "Locks",
    "MidiPartTrack",
    "MidiStep",
    "MidiTrack",
    "Part",
    "PartTrack",
    "Pattern",
    "Plan",
    "Project",
    "SampleSlot",
    "copy_bank",
    "restore",
    "slots",
]
