"""What documents announce to the apps that own documents: a document whose files are ready.

The owning app (journals) subscribes with `documents_ready.subscribe(name, handler, kinds={kind})`
and receives the document's id after the render commits (events/topics.py).
"""

from events.topics import Topic

documents_ready = Topic("documents.ready")
