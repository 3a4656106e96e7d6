"""Storage: models, the engine, migrations, backups. Knows nothing of Qt."""
