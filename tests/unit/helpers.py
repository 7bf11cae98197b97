"""Parse data shaped like Rasa's NLU output, for decision and action tests."""
from typing import Dict, List, Optional, Tuple


def parse_data(
    text: str,
    intent: str,
    intent_confidence: float = 0.9,
    faq_ranking: Optional[List[Tuple[str, float]]] = None,
) -> Dict:
    ranking = [
        {"id": index, "confidence": confidence, "intent_response_key": f"faq/{key}"}
        for index, (key, confidence) in enumerate(faq_ranking or [])
    ]
    top = ranking[0] if ranking else {"id": None, "confidence": 0.0, "intent_response_key": None}
    return {
        "text": text,
        "intent": {"name": intent, "confidence": intent_confidence},
        "entities": [],
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {"response": {**top, "responses": None, "utter_action": None}, "ranking": ranking},
        },
    }
