"""The sources that default figures cite, by short name: anchors from ../docs (domain brief).

They live in a module of their own so that the figures' declarations (`inputs.schema`) can cite them
as well as the per-domain and per-structure tables (`inputs.defaults`), which import the schema.
"""

from __future__ import annotations

BBV = "BBV indicators: 6.8-11 municipal FTE per 1,000 inhabitants"
COELO = "COELO: tax collection is 0.4 % of the budget; about 15 % cheaper when cooperating"
IPSE = "Niaounakis & Blank 2015 (IPSE): more than 20 % saving for small municipalities (taxes)"
ESB = "ESB 2015: average unused scale gain 20 %, cost-minimising scale 66,000 inhabitants"
HR_RATIO = "P&O survey: 1 HR FTE per 50-100 employees"
SICK = "A&O fonds Personeelsmonitor: sick leave 5.6-6.7 %; plus holidays and leave"
BERENSCHOT = "Berenschot 2018: savings of merged civil services disappointing, years of friction"
MERGER_COST = "five North-Holland mergers 2012-16: one-off cost EUR 4.5-8 M"
ALLERS = "Allers & Geertsema 2016: amalgamation gives no aggregate saving; administration cost falls"
ARRANGEMENTS = "Utrecht University 2018: about 27 joint arrangements per municipality"
SEED = "Korsten & van de Laar 2007 (the seed article)"
