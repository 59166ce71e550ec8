"""Record linkage: which contacts, companies or rows of any table are the same entity.

``duplicate_clusters`` answers it for a workspace's contacts or companies.
"""

from dealflow.crm.linkage.clusters import DuplicateCluster, ScoredPair
from dealflow.crm.linkage.service import duplicate_clusters

__all__ = ["DuplicateCluster", "ScoredPair", "duplicate_clusters"]
