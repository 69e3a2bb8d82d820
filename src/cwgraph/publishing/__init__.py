"""Publishing: the serialisations, the dataset description (VoID/DCAT), reports, and the atomic release folder."""
