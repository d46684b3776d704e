#!/usr/bin/env bash
# make demo: a fictional metropolis, its AI registry and policy, then audited analyses on the
# embedded offline defaults. Every step is a garant command you can run yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
G="$PWD/.venv/bin/garant"
DEMO="$PWD/demo-workspace"
SHARED="$PWD/../shared/data"
export GARANT_ACTOR="demo" MLFLOW_DISABLE_TELEMETRY=true
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# first N CMD…: run CMD completely, show its first N lines (no broken pipe under pipefail)
first() { local n=$1; shift; local out; out=$("$@"); printf '%s\n' "$out" | sed -n "1,${n}p"; }

rm -rf "$DEMO"
step "Espace de travail de la Métropole de Belleval"
"$G" init "$DEMO" --name "Métropole de Belleval" --kind collectivite \
  --contact "ia@belleval.fr — Mission participation citoyenne, Hôtel de ville"
export GARANT_WORKSPACE="$DEMO"

step "Personnes et rôles"
"$G" people add "Claire Martin" --email claire.martin@belleval.fr --title "Chargée de mission participation"
# Chaque modification du registre nomme son auteur : --by PERSONNE, ou le réglage actor.
export GARANT_ACTOR=claire-martin
"$G" people add "Denis Roux" --email dpo@belleval.fr --title "Délégué à la protection des données"
"$G" people add "Amina Benali" --email a.benali@belleval.fr --title "Data scientist"
"$G" people add "Hugo Petit" --email h.petit@belleval.fr --title "Chef de projet concertation"
"$G" people add "Sophie Laurent" --email s.laurent@belleval.fr --title "Contrôle interne"
"$G" roles assign claire-martin referent_ia --from 01/09/2025
"$G" roles assign denis-roux dpo --from 01/01/2024
"$G" roles assign amina-benali personne_ressource --from 01/09/2025
"$G" roles assign hugo-petit agent --from 01/01/2025
"$G" roles assign sophie-laurent relecteur_conformite --from 01/01/2025
"$G" roles list

step "Registre des outils d'IA"
"$G" tools add "garant hors ligne" --key hors-ligne --access local --vendor "garant" --region local \
  --status approved --alias hors-ligne --retention "aucune donnée ne quitte le poste" --no-training
"$G" tools add "Albert" --access api --vendor "DINUM (État)" --family "Albert" --region FR --stays-in-eu \
  --status approved --alias albert --dpa "Convention DINUM 2025-117" --no-training \
  --retention "journaux 30 jours"
"$G" tools add "Mistral Small (API)" --key mistral-small --access api --vendor "Mistral AI" \
  --family "mistral-small" --region EU --stays-in-eu --status under_review --alias mistral-small \
  --dpa "DPA en cours de signature"
"$G" tools add "ChatGPT grand public" --key chatgpt-grand-public --access web_app --vendor OpenAI \
  --region US --leaves-eu --status forbidden --training \
  --notes "Interdit : pas de contrat de sous-traitance, réutilisation des saisies."
"$G" tools add "Tirage au sort garant (LEXIMIN)" --key tirage-garant --access local --vendor garant \
  --region local --status approved --no-training
"$G" tools add "Transcription locale (Whisper)" --key whisper-local --access local \
  --vendor "faster-whisper (poids ouverts)" --region local --status approved --no-training
"$G" tools list

step "Registre des usages"
"$G" uses add "Synthèse des contributions de la concertation" --key synthese-concertation \
  --purpose "Regrouper les contributions par thème, sans perdre les propos singuliers" \
  --stage analysis --tool hors-ligne --tool albert --data public_contributions --data personal \
  --legal-basis public_task --responsible claire-martin --oversight amina-benali --status approved \
  --override "Démonstration : la liste de contrôle est remplie plus loin" \
  --data-subjects "Habitants ayant contribué à la concertation" \
  --data-description "pseudonymes, texte des contributions, dates" \
  --recipients "Mission participation ; prestataire d'hébergement Albert (DINUM)" \
  --retention "12 mois après la restitution publique" \
  --security "pseudonymisation avant envoi, poste chiffré, accès nominatifs"
"$G" uses add "Tirage au sort du panel citoyen" --key tirage-panel \
  --purpose "Tirer au sort un panel représentatif parmi les volontaires (quotas)" \
  --stage design --tool tirage-garant --data personal --legal-basis public_task \
  --responsible hugo-petit --oversight claire-martin --status approved \
  --override "Démonstration : la liste de contrôle est remplie plus loin" \
  --data-subjects "Volontaires inscrits" --data-description "sexe, âge, quartier, diplôme, CSP, adresse" \
  --retention "Durée de la convention citoyenne + 6 mois"
"$G" uses add "Transcription des réunions publiques" --key transcription-reunions \
  --purpose "Transcrire les réunions publiques pour en faire le compte rendu" \
  --stage animation --tool whisper-local --data personal --data public_contributions \
  --legal-basis public_task --responsible hugo-petit --oversight claire-martin --status approved \
  --override "Démonstration : la liste de contrôle est remplie plus loin"
"$G" uses add "Aide à la rédaction des supports" --key aide-redaction \
  --purpose "Premiers jets d'affiches et de documents d'information" --stage preparation \
  --tool albert --data none --responsible claire-martin --status draft
"$G" uses list

step "Formations et arbitrages"
"$G" training log hugo-petit --module "IA générative : usages et limites" --date 02/10/2025 --hours 3.5 \
  --provider "CNFPT"
"$G" training log amina-benali --module "Pseudonymisation et RGPD" --date 15/10/2025 --hours 2
"$G" arbitration open "Puis-je coller des courriels d'habitants dans ChatGPT pour les résumer ?" \
  --by hugo-petit --to claire-martin --tool chatgpt-grand-public
"$G" arbitration decide 1 --by claire-martin \
  --decision "Non. Utiliser l'usage « Synthèse des contributions » (garant, pseudonymisation)." \
  --rationale "Outil interdit (hors UE, pas de contrat) ; données personnelles d'habitants."
"$G" arbitration list

step "Politique d'usage : adoptée à la création, approuvée par la référente IA"
first 25 "$G" policy show
"$G" policy approve --by claire-martin
"$G" policy acknowledge hugo-petit
"$G" policy acknowledgements

step "Charte interne et charte publique (PDF et HTML)"
for kind in internal external; do
  for fmt in pdf html; do "$G" charter render --kind "$kind" --format "$fmt"; done
done
ls "$DEMO/exports"

step "Contrôle AI Act / RGPD d'un usage"
"$G" checklist start synthese-concertation --answers "$PWD/scripts/demo-checklist.yaml" >/dev/null
first 30 "$G" checklist status synthese-concertation

step "Une requête auditée sur le modèle hors ligne (garant ask)"
"$G" ask synthese-concertation --by hugo-petit --pseudonymisation full \
  "Contribution de Mme Fatoumata Diallo (06 12 34 56 78) : la piste cyclable de l'avenue Jean Jaurès est dangereuse au carrefour. Le parc devrait rester ouvert le soir en été. Il manque des bancs près de l'arrêt de tram."
RUN=$("$G" runs list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$G" runs review "$RUN" --by sophie-laurent --decision approve --comment "Relu : fidèle aux contributions."
"$G" runs show "$RUN"

step "Une tentative refusée par la politique (usage non approuvé)"
"$G" ask aide-redaction --by hugo-petit "Rédige une affiche pour la réunion du 4 décembre." || true

step "Tirage au sort d'un panel citoyen (LEXIMIN, vérifiable)"
"$PWD/.venv/bin/python" -c "from garant.analyses.sortition import write_demo; write_demo('$DEMO/exports/panel', n=300, k=30, seed=2026)"
"$G" sortition run "$DEMO/exports/panel/vivier.csv" "$DEMO/exports/panel/quotas.csv" --k 30 \
  --use tirage-panel --by amina-benali --households adresse,code_postal --time-limit 240
LOTTERY=$("$G" runs list --json | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["kind"]=="sortition"][0]["id"])')
"$G" sortition draw "$LOTTERY" --seed "7 19 23 31 42 / 3" --use tirage-panel --by amina-benali
DRAW=$("$G" runs list --json | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["kind"]=="sortition-draw"][0]["id"])')
"$G" sortition verify "$DEMO/runs/$DRAW" --pool "$DEMO/exports/panel/vivier.csv" \
  --quotas "$DEMO/exports/panel/quotas.csv" --seed "7 19 23 31 42 / 3"

step "Synthèse hors ligne des contributions du Grand Débat (Lille, Nancy — Decidim)"
if [ -d "$SHARED/consultations/decidim_gdn_lille_nancy" ]; then
  "$G" synthesis ingest grand-debat "$SHARED/consultations/decidim_gdn_lille_nancy" --format decidim \
    --pseudonymisation patterns
  "$G" synthesis run grand-debat --use synthese-concertation --by amina-benali
  SYNTH=$("$G" runs list --json | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["kind"]=="synthesis"][0]["id"])')
  first 40 "$G" synthesis report "$SYNTH"
else
  echo "(données Decidim absentes : ../shared/data/consultations — étape sautée)"
fi

step "Transcription d'une réunion (audio généré localement)"
AUDIO="$DEMO/exports/reunion.wav"
if command -v espeak-ng >/dev/null && command -v sox >/dev/null; then
  espeak-ng -v en-us -s 150 -w "$DEMO/exports/raw.wav" \
    "The city council meeting is now open. The first item on the agenda is the new cycle lane."
  sox "$DEMO/exports/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer -t wavpcm "$AUDIO"
  echo "Aucun modèle français n'est installé ici : démonstration avec le modèle anglais tiny.en fourni."
  "$G" transcribe "$AUDIO" --use transcription-reunions --by hugo-petit --language en --pseudonymisation patterns
else
  printf 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Jeanne Morel>Bonjour, je demande une piste cyclable.\n' > "$DEMO/exports/reunion.vtt"
  echo "Ni espeak-ng ni sox : import d'une transcription WebVTT à la place."
  "$G" transcribe "$DEMO/exports/reunion.vtt" --backend import --use transcription-reunions --by hugo-petit
fi
TRANS=$("$G" runs list --json | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["kind"]=="transcription"][0]["id"])')
"$G" transcript show "$TRANS"
first 24 "$G" runs show "$TRANS"

step "Enquête publique : dossier numéroté, procès-verbal, annexe signée vérifiable par tous"
if [ -d "$SHARED/consultations/decidim_gdn_lille_nancy" ]; then
  "$G" people add "Jeanne Morel" --email j.morel@example.fr --title "Commissaire enquêtrice"
  "$G" roles assign jeanne-morel personne_ressource --from 01/11/2026
  "$G" uses add "Regroupement des observations d'enquête publique" --key regroupement-enquete \
    --purpose "Regrouper par thème les observations du public, chacune lue par la commissaire" \
    --stage analysis --tool hors-ligne --data public_contributions --data personal \
    --legal-basis public_task --responsible jeanne-morel --status approved \
    --override "Démonstration : la liste de contrôle de cet usage n'est pas remplie ici"
  "$G" dossier create "Plan de mobilité de Belleval" --ref "Arrêté 2026-117" \
    --authority "Métropole de Belleval" --from 02/11/2026 --to 03/12/2026 \
    --commissaire jeanne-morel --key mobilite-belleval
  "$G" dossier add mobilite-belleval "$SHARED/consultations/decidim_gdn_lille_nancy/propositions-libres.csv" \
    --channel registre_dematerialise --pseudonymisation patterns
  "$G" dossier add mobilite-belleval --format transcript --from-run "$TRANS" --channel reunion_publique \
    --pseudonymisation patterns
  "$G" dossier add mobilite-belleval "$SHARED/consultations/decidim_gdn_lille_nancy/commentaires_propositions_libres.csv" \
    --channel courriel --pseudonymisation patterns
  PVSYNTH=$("$G" dossier synthesise mobilite-belleval --use regroupement-enquete --by amina-benali)
  "$G" runs review "$PVSYNTH" --by jeanne-morel --decision approve \
    --comment "Chaque observation lue ; regroupements vérifiés."
  "$G" dossier show mobilite-belleval
  "$G" dossier pv mobilite-belleval --format docx
  "$G" dossier pv mobilite-belleval --format md
  export DEMO_KEY="phrase secrète de démonstration"
  "$G" keys create jeanne-morel --passphrase-env DEMO_KEY
  "$G" annex export mobilite-belleval --signer jeanne-morel --passphrase-env DEMO_KEY
  echo "Vérification dans un dossier vierge, avec le seul PDF :"
  FRESH=$(mktemp -d)
  cp "$DEMO/exports/enquetes/mobilite-belleval/annexe.pdf" "$FRESH/"
  (cd "$FRESH" && env -u GARANT_WORKSPACE "$G" annex verify annexe.pdf)
  echo "Avec les pièces et le registre :"
  first 8 "$G" annex verify "$FRESH/annexe.pdf" --files "$DEMO" --workspace "$DEMO"
  rm -rf "$FRESH"
else
  echo "(données Decidim absentes : ../shared/data/consultations — étape sautée)"
fi

step "Registre RGPD art. 30 (extrait)"
"$G" registry export --kind art30 --format md --output "$DEMO/exports/registre-art30.md"
head -n 6 "$DEMO/exports/registre-art30.md"

step "Page de transparence publique (inventaire des usages de l'IA)"
"$G" registry publish

step "Rapport périodique pour le contrôle (DPO, audit interne)"
"$G" audit report --format pdf

step "Intégrité du registre d'audit"
"$G" audit verify

step "Pour explorer"
cat <<TXT
Espace de démonstration : $DEMO
  export GARANT_WORKSPACE=$DEMO
  $G runs list                     # exécutions auditées (y compris les refus)
  ls $DEMO/exports $DEMO/runs/$DRAW     # chartes, rapport du tirage (PDF/HTML)
  $G runs show $RUN
  $G mlflow ui                     # interface MLflow sur http://127.0.0.1:5000
  $G registry export --kind inventory --format md
  $G audit verify
TXT
echo "Interface plein écran (TUI) du référent IA : GARANT_WORKSPACE=$DEMO $G   (ou : $G -w $DEMO tui)"
