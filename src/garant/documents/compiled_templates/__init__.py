"""Built-in templates compiled by « make templates » (garant.documents.precompiled); generated,
do not edit."""
