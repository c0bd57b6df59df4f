"""Simulated registration data with ground truth: organic surges and coordinated campaigns.

Like ruptures' ``datasets``, every generator returns the data *and* the truth, and
takes a ``seed``::

    from detector.simulation import simulate
    data = simulate("tulsa", n=100_000, seed=0, camouflage=0.5)
    data.registrations, data.truth, data.campaigns
    data.write("out/")

Scenarios are frozen dataclasses of parameters (:class:`Scenario`), named in
:data:`SCENARIOS`; vocabularies (names, email domains, user agents, referrers,
regions) are data in :mod:`detector.simulation.vocab`. ``simulate("random", seed=S)``
draws every knob from wide priors as a function of ``S`` (domain randomisation, see
:mod:`detector.simulation.randomise`); ``data.knobs`` summarises them.
"""
from .data import SimulatedData, iso_local
from .generate import RANDOM, simulate
from .randomise import random_scenario
from .scenarios import ATTRIBUTES, SCENARIOS, CampaignSpec, Locale, Scenario, Surge, list_scenarios, resolve

__all__ = ["ATTRIBUTES", "RANDOM", "SCENARIOS", "CampaignSpec", "Locale", "Scenario", "SimulatedData", "Surge",
           "iso_local", "list_scenarios", "random_scenario", "resolve", "simulate"]
