"""Local HTTP fakes of triple stores that cannot be installed here (Apache Jena Fuseki)."""
